package loop

import (
	"errors"
	"io"
	"net"
	"os"
	"runtime"

	"github.com/sockloop/sockloop/internal/buffer"
)

// Write queues b to be sent and returns len(b); the loop writes the queue
// with one gather call when the current callback returns. Bytes that are the
// loop's own input (slices from Peek or Next) are queued by reference, with
// no copy; any other b is copied into pool memory, so b may be reused at once,
// as io.Writer requires. Call it on the connection's loop only. On a datagram
// socket it sends b to the sender of the current datagram at once.
func (c *Conn) Write(b []byte) (int, error) {
	if err := c.writable(); err != nil {
		return 0, err
	}
	if !c.stream {
		return c.sendDatagrams(b)
	}
	if c.sec != nil {
		return c.sec.write(c, b)
	}
	c.markQueued()
	c.queue(b)
	c.noteHigh()
	c.l.touch(c)
	return len(b), nil
}

// noteHigh remembers that queued output passed the high-water mark, so that
// OnDrain follows once it falls to the low one, even if the flush at the
// end of this callback sends most of it.
func (c *Conn) noteHigh() {
	if c.queuedBytes() > c.l.eng.cfg.highWater {
		c.wr |= writeOverHigh
	}
}

// queue borrows b if it is input the loop owns (valid until the callback
// returns, when Detach copies what was not written), else copies it.
func (c *Conn) queue(b []byte) {
	if c.l.curID >= 0 && buffer.Within(b, c.l.curBuf) {
		c.l.lendInput(c, b) // a provided buffer: counted until sent
		return
	}
	if buffer.Within(b, c.l.readBuf) || c.stash.Owns(b) {
		c.out.Borrow(b)
		return
	}
	c.out.Copy(b)
}

// Writev queues every slice of bufs as Write does, without joining them.
func (c *Conn) Writev(bufs [][]byte) (int, error) {
	if err := c.writable(); err != nil {
		return 0, err
	}
	if !c.stream {
		return c.sendDatagrams(bufs...)
	}
	if c.sec != nil {
		return c.sec.write(c, bufs...)
	}
	c.markQueued()
	n := 0
	for _, b := range bufs {
		c.queue(b)
		n += len(b)
	}
	c.noteHigh()
	c.l.touch(c)
	return n, nil
}

// AsyncWrite queues b from any goroutine. The loop keeps b by reference until
// it is written or dropped, then calls done (if not nil) on the loop with nil
// or the reason; b must not change before then.
func (c *Conn) AsyncWrite(b []byte, done func(c *Conn, err error)) error {
	return c.AsyncWritev([][]byte{b}, done)
}

// AsyncWritev is AsyncWrite for several slices; done runs once, after the last.
func (c *Conn) AsyncWritev(bufs [][]byte, done func(c *Conn, err error)) error {
	if !c.stream {
		return &net.OpError{Op: "write", Net: c.network(), Err: errors.ErrUnsupported}
	}
	return c.l.Submit(func() {
		if err := c.writable(); err != nil {
			if done != nil {
				done(c, err)
			}
			return
		}
		if c.sec != nil {
			c.sec.asyncWrite(c, bufs, done)
			return
		}
		c.markQueued()
		for i, b := range bufs {
			var cb func(error)
			if i == len(bufs)-1 && done != nil {
				cb = func(err error) { done(c, err) }
			}
			c.out.Lend(b, cb)
		}
		c.noteHigh()
		c.l.touch(c)
	})
}

// Wake runs OnTraffic for the connection on its loop, with whatever input is
// buffered, then done (if not nil); safe from any goroutine.
func (c *Conn) Wake(done func(c *Conn, err error)) error {
	return c.l.Submit(func() {
		if !c.seesTraffic() || c.hidden() {
			// OnTraffic never runs once the handler asked for the close.
			if done != nil {
				done(c, ErrNotConnected)
			}
			return
		}
		if c.sec != nil {
			c.offer() // the plaintext kept; there is no new ciphertext
		} else {
			c.traffic(0)
		}
		if done != nil {
			done(c, nil)
		}
	})
}

// OutboundBuffered returns how many bytes are queued and not yet written.
func (c *Conn) OutboundBuffered() int { return c.out.Len() }

// markQueued starts the write timeout's clock when output starts waiting.
func (c *Conn) markQueued() {
	if c.out.Empty() {
		c.lastWrite = c.l.now
	}
}

// maxSendfile caps one sendfile call, as Go's internal/poll does.
const maxSendfile = 1 << 30

// sendfileHook is sendfile(2) for the loop; the tests put the emulation of
// systems without one in its place.
var sendfileHook = sysSendfile

// fileScratchSize is the scratch an emulated sendfile reads a file into.
const fileScratchSize = 64 << 10

// fileScratch returns the memory an emulated sendfile reads the file into:
// the loop's own, apart from its read buffer, whose bytes queued output may
// still borrow.
func (l *Loop) fileScratch() []byte {
	if l.fileBuf == nil {
		l.fileBuf = make([]byte, fileScratchSize)
	}
	return l.fileBuf
}

// flushFile sends from the queued file (or pipe) at the head; it reports
// whether the caller may go on writing, and whether the connection is
// still open.
func (c *Conn) flushFile(span *buffer.FileSpan) (more, ok bool) {
	if span.Pipe {
		return c.flushPipe(span)
	}
	off := span.Offset
	n, err := sendfileHook(c.fd, span.Fd, &off, int(min(span.Remaining, maxSendfile)), c.l.fileScratch())
	switch classify(err) {
	case stepAgain:
		return true, true
	case stepWait:
		if n > 0 {
			c.l.count(cBytesOut, uint64(n))
			c.out.AdvanceFile(int64(n))
		}
		return false, true
	case stepFail:
		return false, c.closeNow(os.NewSyscallError("sendfile", err))
	}
	if n == 0 {
		// The file ended before the span did: what was promised cannot be
		// sent, and the stream would be corrupt if the next bytes followed.
		c.out.DropHead(io.ErrUnexpectedEOF)
		return false, c.closeNow(io.ErrUnexpectedEOF)
	}
	c.lastWrite = c.l.now
	c.l.count(cBytesOut, uint64(n))
	c.out.AdvanceFile(int64(n))
	return true, true
}

// SendFile queues count bytes of f from offset, in order with the other
// output, to be sent with sendfile(2) (read and written in user space where
// the system has no sendfile, and on a TLS connection, which encrypts them
// a record at a time as the output drains) across as many loop turns as
// the socket needs, without blocking the loop. f must stay open until done
// (if not nil) runs with nil or the reason the bytes were not all sent.
// Call it on the loop.
func (c *Conn) SendFile(f *os.File, offset, count int64, done func(c *Conn, err error)) error {
	if err := c.writable(); err != nil {
		return err
	}
	if !c.stream || offset < 0 || count < 0 {
		return &net.OpError{Op: "sendfile", Net: c.network(), Err: os.ErrInvalid}
	}
	cb := func(err error) {
		runtime.KeepAlive(f) // f's finalizer must not close the fd while it is queued
		if done != nil {
			done(c, err)
		}
	}
	c.markQueued()
	if c.sec != nil {
		c.sec.sendFile(c, f, offset, count, cb) // read and encrypted on the loop
		c.l.touch(c)
		return nil
	}
	c.out.File(int(f.Fd()), offset, count, cb)
	c.noteHigh()
	c.l.touch(c)
	return nil
}
