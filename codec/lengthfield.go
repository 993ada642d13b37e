package codec

import (
	"encoding/binary"
	"math"
)

// LengthField frames a stream on a length field in each frame's header, as
// Netty's LengthFieldBasedFrameDecoder does. A frame spans
// Offset + Size + value + Adjustment bytes, where value is the length
// field's content; its first Strip bytes are left out of the frame handed
// back (to drop the header, set Strip to Offset + Size).
type LengthField struct {
	Offset       int  // bytes before the length field
	Size         int  // bytes in the length field: 1, 2, 3, 4 or 8
	LittleEndian bool // the length field's byte order; big-endian if false
	// Adjustment is added to the field's value to give the bytes that
	// follow the field: negative where the value counts the header too.
	Adjustment int
	Strip      int // bytes dropped from the start of each frame
	// MaxFrame bounds a frame's full length, header included
	// (DefaultMaxFrame if zero).
	MaxFrame int
}

var (
	errLFSize     = Malformed("length-field", "length field size not 1, 2, 3, 4 or 8")
	errLFNegative = Malformed("length-field", "frame shorter than its header")
	errLFStrip    = Malformed("length-field", "strip longer than the frame")
	errLFTooLarge = TooLarge("length-field", "frame longer than the maximum")
)

// Frame implements Framer.
func (f *LengthField) Frame(r Reader) ([]byte, int, error) {
	if f.Size != 1 && f.Size != 2 && f.Size != 3 && f.Size != 4 && f.Size != 8 || f.Offset < 0 {
		return nil, 0, errLFSize
	}
	maxFrame := orDefault(f.MaxFrame, DefaultMaxFrame)
	if f.Offset > maxFrame {
		return nil, 0, errLFTooLarge
	}
	end := f.Offset + f.Size
	hdr, err := peek(r, end)
	if err != nil {
		return nil, 0, err
	}
	v := f.value(hdr[f.Offset:end])
	if v > uint64(math.MaxInt32) {
		return nil, 0, errLFTooLarge
	}
	total := int(v) + f.Adjustment + end
	if total < end {
		return nil, 0, errLFNegative
	}
	if total > maxFrame {
		return nil, 0, errLFTooLarge
	}
	if f.Strip > total || f.Strip < 0 {
		return nil, 0, errLFStrip
	}
	b, err := peek(r, total)
	if err != nil {
		return nil, 0, err
	}
	return b[f.Strip:], total, nil
}

func (f *LengthField) value(b []byte) uint64 {
	var v uint64
	if f.LittleEndian {
		for i := len(b) - 1; i >= 0; i-- {
			v = v<<8 | uint64(b[i])
		}
		return v
	}
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}

var errLFEncode = Malformed("length-field", "payload does not fit the length field")

// Append appends a frame holding payload to dst: Offset zero bytes, the
// length field (len(payload) - Adjustment), then payload. Strip does not
// apply. It returns an error, and dst unchanged, if the length does not fit
// the field or exceeds MaxFrame.
func (f *LengthField) Append(dst, payload []byte) ([]byte, error) {
	if f.Size != 1 && f.Size != 2 && f.Size != 3 && f.Size != 4 && f.Size != 8 || f.Offset < 0 {
		return dst, errLFSize
	}
	v := len(payload) - f.Adjustment
	if v < 0 || f.Size < 8 && uint64(v) >= 1<<(8*f.Size) {
		return dst, errLFEncode
	}
	if maxFrame := orDefault(f.MaxFrame, DefaultMaxFrame); f.Offset > maxFrame || f.Offset+f.Size+len(payload) > maxFrame {
		return dst, errLFTooLarge
	}
	for range f.Offset {
		dst = append(dst, 0)
	}
	var field [8]byte
	if f.LittleEndian {
		binary.LittleEndian.PutUint64(field[:], uint64(v))
		dst = append(dst, field[:f.Size]...)
	} else {
		binary.BigEndian.PutUint64(field[:], uint64(v))
		dst = append(dst, field[8-f.Size:]...)
	}
	return append(dst, payload...), nil
}
