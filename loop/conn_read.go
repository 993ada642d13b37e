package loop

import "io"

// endOfInput handles the peer's FIN: a ReadEOFHandler may keep writing,
// otherwise the connection closes once its output is flushed.
func (c *Conn) endOfInput() {
	if c.sec != nil && !c.sec.endOfInput(c) {
		return
	}
	c.rd |= readEOF
	h := c.l.eng.onReadEOF
	if h == nil {
		c.closeGracefully(nil)
		return
	}
	// The settle after OnReadEOF stops the reading, unless the handler's
	// answer closed the connection already.
	c.act(h.OnReadEOF(c))
	c.l.touch(c)
	c.l.settle()
}

// Peek returns the next n buffered bytes without consuming them (n < 0: all).
// With fewer than n buffered it returns them with io.ErrShortBuffer. The
// slice is valid until the callback returns or the bytes are discarded.
func (c *Conn) Peek(n int) ([]byte, error) {
	if n < 0 {
		return c.in, nil
	}
	if n > len(c.in) {
		return c.in, io.ErrShortBuffer
	}
	return c.in[:n:n], nil
}

// Next returns and consumes the next n buffered bytes (n < 0: all). With
// fewer than n buffered it consumes nothing and returns io.ErrShortBuffer.
// The slice is valid until the callback returns.
func (c *Conn) Next(n int) ([]byte, error) {
	if n < 0 {
		n = len(c.in)
	}
	if n > len(c.in) {
		return nil, io.ErrShortBuffer
	}
	b := c.in[:n:n]
	c.in = c.in[n:]
	return b, nil
}

// Discard consumes the next n buffered bytes (n < 0: all) and returns how
// many it consumed, with io.ErrShortBuffer if fewer than n were buffered.
func (c *Conn) Discard(n int) (int, error) {
	if n < 0 || n > len(c.in) {
		had := len(c.in)
		c.in = c.in[had:]
		if n > had {
			return had, io.ErrShortBuffer
		}
		return had, nil
	}
	c.in = c.in[n:]
	return n, nil
}

// Read copies buffered input into p and consumes it. With nothing buffered
// it returns 0 and ErrNoInput while more input may arrive (with a later
// OnTraffic), and io.EOF only once the peer has finished sending.
func (c *Conn) Read(p []byte) (int, error) {
	if len(c.in) == 0 {
		switch {
		case len(p) == 0:
			return 0, nil
		case c.rd&readEOF != 0:
			return 0, io.EOF
		}
		return 0, ErrNoInput
	}
	n := copy(p, c.in)
	c.in = c.in[n:]
	return n, nil
}

// InboundBuffered returns how many input bytes are buffered.
func (c *Conn) InboundBuffered() int { return len(c.in) }
