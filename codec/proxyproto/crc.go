package proxyproto

import (
	"encoding/binary"
	"hash/crc32"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// VerifyCRC32C checks a version 2 header's PP2_TYPE_CRC32C extension:
// header is the whole header as Parse measured it (its first n bytes). It
// reports true when the header carries no such extension, or when the
// checksum matches.
func VerifyCRC32C(header []byte) bool {
	if len(header) < 16 || header[12]>>4 != 2 {
		return false
	}
	h := Header{}
	n, err := parseV2(header, &h)
	if err != nil || n != len(header) {
		return false
	}
	off := len(header) - len(h.TLVs)
	for rest := h.TLVs; len(rest) > 0; {
		typ, val, next, ok := NextTLV(rest)
		if !ok {
			return false
		}
		if typ == TLVCRC32C {
			if len(val) != 4 {
				return false
			}
			at := off + (len(h.TLVs) - len(rest)) + 3
			want := binary.BigEndian.Uint32(val)
			crc := crc32.Update(0, castagnoli, header[:at])
			crc = crc32.Update(crc, castagnoli, []byte{0, 0, 0, 0})
			crc = crc32.Update(crc, castagnoli, header[at+4:])
			return crc == want
		}
		rest = next
	}
	return true
}

// AppendV2CRC appends h as AppendV2 does, with a PP2_TYPE_CRC32C extension
// after h.TLVs holding the header's checksum.
func AppendV2CRC(dst []byte, h *Header) ([]byte, error) {
	withCRC := *h
	withCRC.TLVs = AppendTLV(append([]byte(nil), h.TLVs...), TLVCRC32C, []byte{0, 0, 0, 0})
	start := len(dst)
	dst, err := AppendV2(dst, &withCRC)
	if err != nil {
		return dst, err
	}
	sum := crc32.Checksum(dst[start:], castagnoli)
	binary.BigEndian.PutUint32(dst[len(dst)-4:], sum)
	return dst, nil
}
