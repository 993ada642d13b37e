package netconn

import (
	"net"
	"os"
	"sync"
	"time"

	"github.com/valyala/bytebufferpool"

	"github.com/sockloop/sockloop/loop"
)

// Conn is a stream connection that a loop drives, seen as a net.Conn: Read
// and Write block the calling goroutine, never the loop, which makes the
// system calls. Its methods are safe from any goroutine; one Read and one
// Write run at a time, so the bytes of one Write are never interleaved
// with another's.
type Conn struct {
	lc            *loop.Conn
	h             *Handler
	ln            *Listener // the listener that counts it while open, if any
	network       string
	local, remote net.Addr

	rmu, wmu sync.Mutex // one Read and one Write at a time
	rdl, wdl *deadline

	mu       sync.Mutex
	in       *bytebufferpool.ByteBuffer // input not yet read is in.B[r:]; nil when none
	r        int
	paused   bool  // the loop stopped reading: the input buffer is full
	resuming bool  // a task to resume reading is on its way to the loop
	eof      bool  // the peer finished sending
	ended    bool  // the loop closed the connection, for reason err
	err      error // why the loop closed it; nil after an orderly close
	closed   bool  // Close was called
	shut     bool  // CloseWrite was called
	pending  int   // bytes handed to the loop and not yet written to the socket
	gone     chan struct{}
	readable chan struct{} // a token when input, or its end, arrives
	writable chan struct{} // a token when pending falls
}

var (
	_ net.Conn = (*Conn)(nil)
	// A *net.TCPConn's half-close, which io.Copy-style relays look for.
	_ interface{ CloseWrite() error } = (*Conn)(nil)
)

// newConn wraps lc, on its loop.
func newConn(h *Handler, lc *loop.Conn) *Conn {
	c := &Conn{
		lc:       lc,
		h:        h,
		local:    lc.LocalAddr(),
		remote:   lc.RemoteAddr(),
		rdl:      newDeadline(),
		wdl:      newDeadline(),
		gone:     make(chan struct{}),
		readable: make(chan struct{}, 1),
		writable: make(chan struct{}, 1),
	}
	c.network = "tcp"
	if c.local != nil {
		c.network = c.local.Network()
	}
	lc.SetContext(c)
	return c
}

// LocalAddr returns the connection's local address.
func (c *Conn) LocalAddr() net.Addr { return c.local }

// RemoteAddr returns the peer's address.
func (c *Conn) RemoteAddr() net.Addr { return c.remote }

// SetDeadline sets the read and write deadlines, as net.Conn says: a call
// blocked past its deadline, or made after it, fails with an error that
// matches os.ErrDeadlineExceeded and whose Timeout is true; a zero t means
// none. Moving a deadline takes effect on calls already waiting.
func (c *Conn) SetDeadline(t time.Time) error {
	if err := c.setDeadline(); err != nil {
		return err
	}
	c.rdl.set(t)
	c.wdl.set(t)
	return nil
}

// SetReadDeadline sets the deadline of Read calls, as SetDeadline does.
func (c *Conn) SetReadDeadline(t time.Time) error {
	if err := c.setDeadline(); err != nil {
		return err
	}
	c.rdl.set(t)
	return nil
}

// SetWriteDeadline sets the deadline of Write calls, as SetDeadline does.
// Bytes that a timed-out Write handed to the loop before its deadline are
// still sent; the count it returns says how many.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	if err := c.setDeadline(); err != nil {
		return err
	}
	c.wdl.set(t)
	return nil
}

// setDeadline returns the error of setting a deadline: net.ErrClosed once
// Close was called.
func (c *Conn) setDeadline() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return c.opError("set", net.ErrClosed)
	}
	return nil
}

// Close closes the connection: calls blocked in Read and Write return
// net.ErrClosed, input not yet read is dropped, and the loop closes the
// socket once the bytes Write handed it have been sent (bounded by the
// engine's WithCloseLinger). A second Close returns net.ErrClosed.
func (c *Conn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return c.opError("close", net.ErrClosed)
	}
	c.closed = true
	c.releaseInput()
	c.wakeAll()
	c.mu.Unlock()
	c.rdl.stop()
	c.wdl.stop()
	// A Write under way wakes (gone) or finishes handing its bytes over,
	// which then go before the close. An engine that stopped has closed
	// the connection already.
	c.wmu.Lock()
	c.lc.AsyncClose(nil)
	c.wmu.Unlock()
	return nil
}

// CloseWrite shuts down the sending side once the bytes Write handed to
// the loop have been sent, as *net.TCPConn's does: the peer reads the end
// of the stream, this side goes on reading, and later writes fail.
func (c *Conn) CloseWrite() error {
	c.mu.Lock()
	switch {
	case c.closed:
		c.mu.Unlock()
		return c.opError("close", net.ErrClosed)
	case c.shut:
		c.mu.Unlock()
		return nil
	}
	c.shut = true
	c.mu.Unlock()
	signal(c.writable) // a Write waiting for room fails now
	// A Write under way finishes handing its bytes over first; tasks run
	// in order, so they go before the shutdown.
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.lc.Loop().Submit(func() { c.lc.CloseWrite() }); err != nil {
		return c.opError("close", err)
	}
	return nil
}

// onClose records, on the loop, that the connection closed for reason err
// (nil after an orderly close).
func (c *Conn) onClose(err error) {
	c.mu.Lock()
	c.ended, c.err = true, err
	c.wakeAll()
	ln := c.ln
	c.ln = nil
	c.mu.Unlock()
	if ln != nil {
		ln.release()
	}
}

// wakeAll wakes every blocked call; c.mu is held.
func (c *Conn) wakeAll() {
	select {
	case <-c.gone:
	default:
		close(c.gone)
	}
}

// opError is err as the connection's op reports it.
func (c *Conn) opError(op string, err error) error {
	return opError(op, c.network, c.local, c.remote, err)
}

// timeout is the error of a call whose deadline passed.
func (c *Conn) timeout(op string) error { return c.opError(op, os.ErrDeadlineExceeded) }

// signal leaves a token in ch, a channel of capacity one, unless one waits.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
