package netconn

import (
	"io"
	"net"

	"github.com/valyala/bytebufferpool"

	"github.com/sockloop/sockloop/loop"
)

// Input is copied out of the loop's buffers into a buffer of the
// connection's own, which the loop stops filling (PauseRead) once it holds
// inputHigh bytes and fills again once a reader has taken it down to
// inputLow: the memory a connection holds is bounded, however slow its
// reader, by inputHigh and what one read of the loop brings.
const (
	inputHigh = 64 << 10
	inputLow  = 16 << 10
)

var inputPool bytebufferpool.Pool

// Read reads input into p, blocking until some has arrived, the peer has
// finished sending (io.EOF), the read deadline passes, or the connection
// closes. Input that arrived before the connection closed is read first.
func (c *Conn) Read(p []byte) (int, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	for {
		// As package net: a passed deadline fails the call even when input waits.
		if c.rdl.passed() {
			if err := c.usable("read"); err != nil {
				return 0, err
			}
			return 0, c.timeout("read")
		}
		n, err, done := c.take(p)
		if done {
			return n, err
		}
		select {
		case <-c.readable:
		case <-c.rdl.wait():
		case <-c.gone:
		}
	}
}

// usable returns net.ErrClosed, as op reports it, once Close was called.
func (c *Conn) usable(op string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return c.opError(op, net.ErrClosed)
	}
	return nil
}

// take copies buffered input into p; done is false when the caller has to
// wait for more.
func (c *Conn) take(p []byte) (n int, err error, done bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return 0, c.opError("read", net.ErrClosed), true
	case c.in != nil:
		n = copy(p, c.in.B[c.r:])
		c.r += n
		if c.r == len(c.in.B) {
			c.releaseInput()
		}
		c.maybeResume()
		return n, nil, true
	case len(p) == 0:
		return 0, nil, true
	case c.eof || c.ended && c.err == nil:
		return 0, io.EOF, true
	case c.ended:
		return 0, c.opError("read", c.err), true
	}
	return 0, nil, false
}

// buffered is how many bytes wait to be read; c.mu is held.
func (c *Conn) buffered() int {
	if c.in == nil {
		return 0
	}
	return len(c.in.B) - c.r
}

// releaseInput gives the input buffer back to the pool; c.mu is held.
func (c *Conn) releaseInput() {
	if c.in != nil {
		inputPool.Put(c.in)
		c.in, c.r = nil, 0
	}
}

// maybeResume asks the loop to read again once a reader has drained the
// buffer far enough; c.mu is held.
func (c *Conn) maybeResume() {
	if !c.paused || c.resuming || c.buffered() > inputLow || c.ended {
		return
	}
	c.resuming = true
	// An engine that stopped has closed the connection: nothing to resume.
	c.lc.Loop().Submit(c.resume)
}

// resume runs on the loop: reading starts again.
func (c *Conn) resume() {
	c.mu.Lock()
	c.paused, c.resuming = false, false
	c.mu.Unlock()
	c.lc.ResumeRead()
}

// onTraffic copies, on the loop, what lc has buffered into the input
// buffer, and stops the loop reading while that is full.
func (c *Conn) onTraffic(lc *loop.Conn) {
	b, _ := lc.Next(-1)
	if len(b) == 0 {
		return
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return // nobody can read it any more
	}
	if c.in == nil {
		c.in = inputPool.Get()
	} else if c.r > 0 {
		// Move what is left to the front, so that the buffer's length
		// stays the bytes it holds.
		c.in.B = c.in.B[:copy(c.in.B, c.in.B[c.r:])]
		c.r = 0
	}
	c.in.B = append(c.in.B, b...)
	full := c.buffered() >= inputHigh && !c.paused
	if full {
		c.paused = true
	}
	c.mu.Unlock()
	if full {
		lc.PauseRead()
	}
	signal(c.readable)
}

// onEOF records, on the loop, that the peer finished sending.
func (c *Conn) onEOF() {
	c.mu.Lock()
	c.eof = true
	c.mu.Unlock()
	signal(c.readable)
}
