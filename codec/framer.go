package codec

import "io"

// Framer splits a byte stream into frames.
type Framer interface {
	// Frame reports the next frame in r without consuming it. frame is a
	// view of r's buffer, valid until r.Discard; n (at least len(frame)) is
	// how many bytes to discard to move past the frame and its framing.
	// Input that holds no whole frame yet returns ErrIncomplete; bad or
	// oversized input returns an *Error.
	Frame(r Reader) (frame []byte, n int, err error)
}

var (
	_ Framer = Fixed{}
	_ Framer = Line{}
	_ Framer = (*Delimiter)(nil)
	_ Framer = (*LengthField)(nil)
)

// Default limits, used where a framer's limit is left zero.
const (
	DefaultMaxFrame = 16 << 20 // length-field frames
	DefaultMaxLine  = 64 << 10 // delimited frames and lines
)

// Next reads the next frame from r with f, appends it to dst, and consumes
// it; it is the copying form of Framer.Frame. On error it consumes nothing
// and returns dst unchanged.
func Next(r Reader, f Framer, dst []byte) ([]byte, error) {
	frame, n, err := f.Frame(r)
	if err != nil {
		return dst, err
	}
	dst = append(dst, frame...)
	_, err = r.Discard(n)
	return dst, err
}

// peek returns the first n bytes of r, or ErrIncomplete when fewer are
// buffered.
func peek(r Reader, n int) ([]byte, error) {
	b, err := r.Peek(n)
	if len(b) < n {
		return nil, ErrIncomplete
	}
	if err != nil && err != io.ErrShortBuffer {
		return nil, err
	}
	return b[:n], nil
}

// Fixed frames a stream into frames of Size bytes.
type Fixed struct {
	Size int // bytes per frame; must be positive
}

var errFixedSize = Malformed("fixed", "frame size not positive")

// Frame implements Framer.
func (f Fixed) Frame(r Reader) ([]byte, int, error) {
	if f.Size <= 0 {
		return nil, 0, errFixedSize
	}
	b, err := peek(r, f.Size)
	if err != nil {
		return nil, 0, err
	}
	return b, f.Size, nil
}
