package loop

import (
	"io"
	"os"

	"github.com/sockloop/sockloop/poller"
)

// minSpare is the least free space a connection's own input buffer offers a
// read, so that partial frames still arrive in sizeable pieces.
const minSpare = 4096

// read reads once per readiness (until EAGAIN when edge-triggered) and offers
// the bytes to OnTraffic. Without leftovers the read lands in the loop's
// buffer and the handler sees it in place; with leftovers it lands behind
// them in the connection's pooled buffer, so input is always contiguous.
func (c *Conn) read() {
	l := c.l
	for {
		buf := l.readBuf
		own := !c.stash.Empty()
		if own {
			buf, c.in = c.stash.Spare(c.in, max(minSpare, len(c.in)))
		}
		var n int
		var err error
		if c.l.eng.cfg.ancillary && c.network == "unix" {
			n, err = c.readMsg(buf)
		} else {
			n, err = sysRead(c.fd, buf)
		}
		switch classify(err) {
		case stepAgain:
			continue
		case stepWait:
			return
		case stepFail:
			c.closeNow(os.NewSyscallError("read", err))
			return
		}
		if n == 0 {
			c.endOfInput()
			return
		}
		c.lastRead = l.now
		if own {
			c.in = c.stash.Extend(c.in, n)
		} else {
			c.in = buf[:n]
		}
		c.act(l.eng.h.OnTraffic(c))
		c.afterTraffic()
		// Edge-triggered, only EAGAIN re-arms the edge: a short read is not
		// enough, since a FIN that came with the data shows only on the next read.
		if !l.eng.cfg.edge || c.interest&poller.Readable == 0 || c.state != stateOpen {
			return
		}
	}
}

// afterTraffic finishes an OnTraffic: it closes descriptors the handler did
// not take, settles, and keeps unconsumed input. Settling comes first: output
// may borrow the input's memory until Detach copies it, so the connection's
// own buffer must not go back to the pool before.
func (c *Conn) afterTraffic() {
	if c.x != nil && len(c.x.fds) > 0 {
		c.closeUntakenFDs()
	}
	c.l.settle()
	c.keepInput()
}

// keepInput moves what the handler left unconsumed out of the loop's read
// buffer, which the next read of any connection overwrites.
func (c *Conn) keepInput() {
	if c.state == stateClosed {
		return
	}
	if len(c.in) == 0 {
		c.in = nil
		c.stash.Release()
		return
	}
	if c.stash.Empty() {
		c.in = c.stash.Keep(c.in)
	}
}

// endOfInput handles the peer's FIN: a ReadEOFHandler may keep writing,
// otherwise the connection closes once its output is flushed.
func (c *Conn) endOfInput() {
	c.readEOF = true
	h, ok := c.l.eng.h.(ReadEOFHandler)
	if !ok {
		c.closeGracefully(nil)
		return
	}
	c.updateInterest()
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
		case c.readEOF:
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
