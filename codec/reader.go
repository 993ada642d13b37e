package codec

import "io"

// Reader is what decoders consume: the loop connection
// (github.com/sockloop/sockloop/loop.Conn) and BytesReader both satisfy it.
type Reader interface {
	// Peek returns the next n bytes without consuming them; n < 0 means all
	// buffered bytes. With fewer than n buffered it returns those there are
	// and io.ErrShortBuffer. The slice is valid until the next Discard.
	Peek(n int) ([]byte, error)
	// Discard consumes n bytes.
	Discard(n int) (int, error)
	// InboundBuffered reports how many bytes are buffered.
	InboundBuffered() int
}

// BytesReader is a Reader over a byte slice, for tests and for input that is
// already in memory. The zero value is an empty reader.
type BytesReader struct {
	buf []byte
	off int
}

var _ Reader = (*BytesReader)(nil)

// NewBytesReader returns a reader over b; it does not copy b.
func NewBytesReader(b []byte) *BytesReader { return &BytesReader{buf: b} }

// Reset makes the reader read b from its start, without copying it.
func (r *BytesReader) Reset(b []byte) { r.buf, r.off = b, 0 }

// Write appends p to the unread input, as more bytes arriving on a
// connection would. It always returns len(p), nil.
func (r *BytesReader) Write(p []byte) (int, error) {
	if r.off > 0 && r.off == len(r.buf) {
		r.buf, r.off = r.buf[:0], 0
	}
	r.buf = append(r.buf, p...)
	return len(p), nil
}

// Peek implements Reader.
func (r *BytesReader) Peek(n int) ([]byte, error) {
	rest := r.buf[r.off:]
	if n < 0 {
		return rest, nil
	}
	if n > len(rest) {
		return rest, io.ErrShortBuffer
	}
	return rest[:n:n], nil
}

// Discard implements Reader; n < 0 discards all that is buffered, and
// discarding more than is buffered discards all of it and returns
// io.ErrShortBuffer, as the loop's connection does.
func (r *BytesReader) Discard(n int) (int, error) {
	rest := len(r.buf) - r.off
	if n < 0 {
		n = rest
	}
	if n > rest {
		r.off = len(r.buf)
		return rest, io.ErrShortBuffer
	}
	r.off += n
	return n, nil
}

// InboundBuffered implements Reader.
func (r *BytesReader) InboundBuffered() int { return len(r.buf) - r.off }
