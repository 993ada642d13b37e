package netconn

import (
	"net"

	"github.com/valyala/bytebufferpool"

	"github.com/sockloop/sockloop/loop"
)

// Write copies the caller's bytes into pool memory, writeChunk at a time,
// and hands each chunk to the loop once fewer than outputHigh bytes handed
// over earlier wait to be sent: the output a connection holds is bounded,
// however slow its peer, and the caller may reuse its slice as soon as
// Write returns, as io.Writer requires.
const (
	writeChunk = 64 << 10
	outputHigh = 64 << 10
)

var outputPool bytebufferpool.Pool

// Write writes p, blocking until every byte has been handed to the loop
// and, before each handing over, until the connection's earlier output has
// mostly been sent; it fails once the write deadline passes, the
// connection closes, or CloseWrite was called. Bytes handed over before a
// failure are counted in n and still sent.
func (c *Conn) Write(p []byte) (n int, err error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if len(p) == 0 {
		_, err := c.room()
		return 0, err
	}
	for n < len(p) {
		if err := c.waitRoom(); err != nil {
			return n, err
		}
		chunk := p[n:min(len(p), n+writeChunk)]
		if err := c.send(chunk); err != nil {
			return n, err
		}
		n += len(chunk)
	}
	return n, nil
}

// waitRoom blocks until the loop has room for more output, or fails.
func (c *Conn) waitRoom() error {
	for {
		room, err := c.room()
		if err != nil || room {
			return err
		}
		select {
		case <-c.writable:
		case <-c.wdl.wait():
		case <-c.gone:
		}
	}
}

// room reports whether more output may be handed to the loop now, or why
// none may: as package net, a closed connection before a passed deadline.
func (c *Conn) room() (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return false, c.opError("write", net.ErrClosed)
	case c.shut:
		return false, c.opError("write", errWriteShut)
	case c.wdl.passed():
		return false, c.timeout("write")
	case c.ended && c.err == nil:
		return false, c.opError("write", loop.ErrNotConnected)
	case c.ended:
		return false, c.opError("write", c.err)
	}
	return c.pending < outputHigh, nil
}

// send hands a copy of b to the loop.
func (c *Conn) send(b []byte) error {
	buf := outputPool.Get()
	buf.B = append(buf.B[:0], b...)
	n := len(b)
	c.mu.Lock()
	c.pending += n
	c.mu.Unlock()
	err := c.lc.AsyncWrite(buf.B, func(_ *loop.Conn, err error) { c.sent(buf, n) })
	if err != nil {
		c.sent(buf, n)
		return c.opError("write", err)
	}
	return nil
}

// sent runs, on the loop, once n bytes handed over in buf have been
// written to the socket or dropped with the connection, whose close then
// tells the writers why.
func (c *Conn) sent(buf *bytebufferpool.ByteBuffer, n int) {
	outputPool.Put(buf)
	c.mu.Lock()
	c.pending -= n
	c.mu.Unlock()
	signal(c.writable)
}
