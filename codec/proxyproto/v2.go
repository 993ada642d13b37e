package proxyproto

import (
	"encoding/binary"
	"net/netip"

	"github.com/sockloop/sockloop/codec"
)

// Address block sizes of version 2.
const (
	lenInet4 = 12
	lenInet6 = 36
	lenUnix  = 216
)

// parseV2 parses the binary header: signature, version and command,
// family and protocol, length, addresses, TLVs.
func parseV2(buf []byte, h *Header) (int, error) {
	if len(buf) < 16 {
		return 0, codec.ErrIncomplete
	}
	if buf[12]>>4 != 2 {
		return 0, ErrVersion
	}
	h.Version = 2
	switch Command(buf[12] & 0xf) {
	case Local:
		h.Command = Local
	case Proxy:
		h.Command = Proxy
	default:
		return 0, ErrCommand
	}
	n := 16 + int(binary.BigEndian.Uint16(buf[14:16]))
	if len(buf) < n {
		return 0, codec.ErrIncomplete
	}
	body := buf[16:n]
	tr := Transport(buf[13])
	var alen int
	switch tr {
	case Unknown:
	case TCP4, UDP4:
		alen = lenInet4
	case TCP6, UDP6:
		alen = lenInet6
	case UnixStream, UnixDgram:
		alen = lenUnix
	default:
		return 0, ErrFamily
	}
	if len(body) < alen {
		return 0, ErrLength
	}
	if h.Command == Proxy {
		h.Transport = tr
		a := body[:alen]
		switch alen {
		case lenInet4:
			h.Source = netip.AddrPortFrom(netip.AddrFrom4([4]byte(a[0:4])), binary.BigEndian.Uint16(a[8:10]))
			h.Dest = netip.AddrPortFrom(netip.AddrFrom4([4]byte(a[4:8])), binary.BigEndian.Uint16(a[10:12]))
		case lenInet6:
			h.Source = netip.AddrPortFrom(netip.AddrFrom16([16]byte(a[0:16])), binary.BigEndian.Uint16(a[32:34]))
			h.Dest = netip.AddrPortFrom(netip.AddrFrom16([16]byte(a[16:32])), binary.BigEndian.Uint16(a[34:36]))
		case lenUnix:
			h.SourcePath, h.DestPath = cpath(a[:108]), cpath(a[108:])
		}
	}
	tlvs := body[alen:]
	for rest := tlvs; len(rest) > 0; {
		var ok bool
		if _, _, rest, ok = NextTLV(rest); !ok {
			return 0, ErrTLV
		}
	}
	h.TLVs = tlvs[:len(tlvs):len(tlvs)]
	return n, nil
}

// AppendV2 appends h as a version 2 header, h.TLVs included. A Local
// command carries no addresses.
func AppendV2(dst []byte, h *Header) ([]byte, error) {
	tr := h.Transport
	if h.Command == Local {
		tr = Unknown
	} else if h.Command != Proxy {
		return dst, ErrEncode
	}
	var alen int
	switch tr {
	case Unknown:
	case TCP4, UDP4:
		alen = lenInet4
	case TCP6, UDP6:
		alen = lenInet6
	case UnixStream, UnixDgram:
		alen = lenUnix
		if len(h.SourcePath) >= 108 || len(h.DestPath) >= 108 {
			return dst, ErrEncode
		}
	default:
		return dst, ErrEncode
	}
	total := alen + len(h.TLVs)
	if total > 0xffff {
		return dst, ErrEncode
	}
	src, dstAddr := h.Source.Addr(), h.Dest.Addr()
	switch alen {
	case lenInet4:
		if !src.Is4() || !dstAddr.Is4() {
			return dst, ErrEncode
		}
	case lenInet6:
		if !src.Is6() || !dstAddr.Is6() {
			return dst, ErrEncode
		}
	}
	dst = append(dst, sigV2...)
	dst = append(dst, 0x20|byte(h.Command&0xf), byte(tr), byte(total>>8), byte(total))
	switch alen {
	case lenInet4:
		s, d := src.As4(), dstAddr.As4()
		dst = append(append(dst, s[:]...), d[:]...)
		dst = binary.BigEndian.AppendUint16(dst, h.Source.Port())
		dst = binary.BigEndian.AppendUint16(dst, h.Dest.Port())
	case lenInet6:
		s, d := src.As16(), dstAddr.As16()
		dst = append(append(dst, s[:]...), d[:]...)
		dst = binary.BigEndian.AppendUint16(dst, h.Source.Port())
		dst = binary.BigEndian.AppendUint16(dst, h.Dest.Port())
	case lenUnix:
		var zero [108]byte
		dst = append(dst, h.SourcePath...)
		dst = append(dst, zero[len(h.SourcePath):]...)
		dst = append(dst, h.DestPath...)
		dst = append(dst, zero[len(h.DestPath):]...)
	}
	return append(dst, h.TLVs...), nil
}
