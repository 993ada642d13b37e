//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ancillary

import (
	"encoding/binary"
	"math"
	"slices"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Message is one control message: its level (cmsg_level), type (cmsg_type)
// and data. A Message yielded by Parser or Messages aliases the buffer it
// was parsed from; copy Data to keep it past the buffer's reuse.
type Message struct {
	Level int
	Type  int
	Data  []byte
}

// Is reports whether m has the given level and type.
func (m Message) Is(level, typ int) bool { return m.Level == level && m.Type == typ }

// Append appends one control message of the given level and type carrying
// data to b, zero-padded to Space(len(data)) bytes, and returns the extended
// slice; it allocates only when b lacks the capacity. It returns b unchanged
// and a *SizeError when data is too long, or an *ArgError when level or typ
// does not fit the header's C int.
func Append(b []byte, level, typ int, data []byte) ([]byte, error) {
	if level < math.MinInt32 || level > math.MaxInt32 || typ < math.MinInt32 || typ > math.MaxInt32 {
		return b, &ArgError{Op: "Append", Reason: "level or type out of the C int range"}
	}
	if len(data) > maxSpaceData {
		return b, &SizeError{Op: "Append", N: len(data)}
	}
	b, d := appendHeader(b, level, typ, len(data))
	copy(d, data)
	return b, nil
}

// appendHeader extends b by Space(n) zeroed bytes, writes a header for a
// message of n data bytes into them and returns the extended slice and the
// n-byte data field to fill. The caller guarantees 0 <= n <= maxSpaceData
// and that level and typ fit an int32.
func appendHeader(b []byte, level, typ, n int) (out, data []byte) {
	off := len(b)
	space := hdrLen + align(n)
	b = slices.Grow(b, space)[:off+space]
	clear(b[off:])
	h := b[off : off+hdrLen]
	if lenSize == 8 {
		binary.NativeEndian.PutUint64(h, uint64(hdrLen+n))
	} else {
		binary.NativeEndian.PutUint32(h, uint32(hdrLen+n))
	}
	binary.NativeEndian.PutUint32(h[lenSize:], uint32(int32(level)))
	binary.NativeEndian.PutUint32(h[lenSize+4:], uint32(int32(typ)))
	return b, b[off+hdrLen : off+hdrLen+n]
}

// lenSize is the size of cmsg_len: a size_t on Linux, a socklen_t on macOS
// and the BSDs. On all of them struct cmsghdr is cmsg_len followed by two
// C ints, cmsg_level and cmsg_type.
const lenSize = unix.SizeofCmsghdr - 8

// readHeader decodes the cmsghdr at the start of b, which holds at least
// hdrLen bytes. length is cmsg_len widened to 64 bits.
func readHeader(b []byte) (length uint64, level, typ int) {
	if lenSize == 8 {
		length = binary.NativeEndian.Uint64(b)
	} else {
		length = uint64(binary.NativeEndian.Uint32(b))
	}
	level = int(int32(binary.NativeEndian.Uint32(b[lenSize:])))
	typ = int(int32(binary.NativeEndian.Uint32(b[lenSize+4:])))
	return length, level, typ
}

// bytesOf returns the memory of *p as a byte slice, for copying C structs
// in and out of buffers whatever their alignment.
func bytesOf[T any](p *T) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), unsafe.Sizeof(*p))
}

// readInto copies data into *p and reports whether data has exactly the
// size of *p; it leaves *p alone otherwise.
func readInto[T any](p *T, data []byte) bool {
	b := bytesOf(p)
	if len(data) != len(b) {
		return false
	}
	copy(b, data)
	return true
}

// decodeError returns the *DecodeError for m failing decoder op.
func (m Message) decodeError(op string, err error) error {
	return &DecodeError{Op: op, Level: m.Level, Type: m.Type, Len: len(m.Data), Err: err}
}

// expect checks that m has the given level and type and size or alt data
// bytes (pass size twice for one size).
func (m Message) expect(op string, level, typ, size, alt int) error {
	if !m.Is(level, typ) {
		return m.decodeError(op, ErrMismatch)
	}
	if len(m.Data) != size && len(m.Data) != alt {
		return m.decodeError(op, ErrMalformed)
	}
	return nil
}
