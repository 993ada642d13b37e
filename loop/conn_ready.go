package loop

import (
	"os"

	"github.com/sockloop/sockloop/poller"
)

// readyDriver serves a connection by readiness: the poller watches the
// socket for what the connection wants (input while it reads, writability
// while output waits), and the loop reads and writes with system calls
// when it says so.
type readyDriver struct{}

func (readyDriver) start(c *Conn) error {
	if err := c.l.poll.Add(c.fd, poller.Readable); err != nil {
		return err
	}
	c.interest = poller.Readable
	return nil
}

// wantInterest derives the poller interest from the connection's state.
func (c *Conn) wantInterest() poller.Event {
	if c.state == stateConnecting {
		return poller.Writable
	}
	var ev poller.Event
	if c.wantsInput() {
		ev |= poller.Readable
	}
	if !c.out.Empty() {
		ev |= poller.Writable
	}
	return ev
}

func (readyDriver) sync(c *Conn) {
	want := c.wantInterest()
	if c.parked {
		// Parked after a hang-up, with nothing left to write: only a wish
		// to read brings the socket back.
		if want&poller.Readable != 0 {
			if err := c.l.poll.Add(c.fd, want); err != nil {
				c.closeNow(err)
				return
			}
			c.parked, c.interest = false, want
		}
		return
	}
	if want != c.interest {
		if err := c.l.poll.Modify(c.fd, want); err != nil {
			c.closeNow(err)
			return
		}
		c.interest = want
	}
}

func (readyDriver) send(c *Conn) bool { return c.flushNow() }

func (readyDriver) ready(c *Conn, ev poller.Event) {
	switch {
	case c.state == stateConnecting:
		c.connected(connectResult(c.fd, ev))
		return
	case !c.stream:
		c.readDatagrams()
		return
	}
	if c.interest&poller.Readable != 0 && ev&(poller.Readable|poller.Hangup|poller.Error) != 0 {
		for {
			piping := c.readsByPipe()
			if piping {
				c.spliceRead()
			} else {
				c.read()
			}
			// A relay that changed its path reads on by the new one: when
			// edge-triggered only EAGAIN re-arms the edge.
			if piping == c.readsByPipe() || !c.wantsInput() {
				break
			}
		}
	}
	if c.alive() && ev&poller.Writable != 0 && c.flushNow() {
		c.afterFlush()
	}
	// Not reading, nothing will learn of a hang-up from a read: ask the
	// socket.
	if c.alive() && c.interest&poller.Readable == 0 && ev&(poller.Hangup|poller.Error) != 0 && c.parkAfterHangup() {
		if err := c.l.poll.Delete(c.fd); err != nil {
			c.closeNow(err)
			return
		}
		c.parked = true
	}
}

// connectResult is the outcome of a non-blocking connect the poller reported
// on: where a failed connect always shows as an error event
// (connectFailuresPolled), a connect reported writable without one
// succeeded and SO_ERROR need not be asked.
func connectResult(fd int, ev poller.Event) error {
	if connectFailuresPolled && ev&(poller.Error|poller.Hangup) == 0 {
		return nil
	}
	return socketError(fd)
}

// parkAfterHangup serves a hang-up the poller reported while the connection
// was not reading: an error, or an end with all input read, closes it. It
// reports true when both directions ended in order (our FIN sent, the
// peer's received) while reading is paused: input may still wait in the
// kernel, so the socket leaves the poller, which would report the hang-up
// on every turn, until reading resumes and finds it.
func (c *Conn) parkAfterHangup() bool {
	err := socketError(c.fd)
	if err != nil || c.rd&readEOF != 0 {
		c.closeNow(err)
		return false
	}
	return true
}

func (readyDriver) reading(c *Conn) bool { return c.interest&poller.Readable != 0 }

func (readyDriver) release(c *Conn) bool {
	if !c.l.closeForgets || c.lent.Load() {
		c.l.poll.Delete(c.fd) // parked: not watched, and the error says so
	}
	return false
}

// minSpare is the least free space a connection's own input buffer offers a
// read, so that partial frames still arrive in sizeable pieces.
const minSpare = 4096

// inputRoom is the free space a connection's own input buffer offers a read
// with buffered bytes waiting in it: at least minSpare, and half what is
// buffered, so that a large frame arrives in reads that grow with it while
// the buffer grows geometrically (each byte copied a bounded number of
// times, the buffer about twice its bytes at most). Asking for as much as
// is buffered made the buffer move at every read that brought less.
func inputRoom(buffered int) int { return max(minSpare, buffered/2) }

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
			buf, c.in = c.stash.Spare(c.in, inputRoom(len(c.in)))
		}
		var n int
		var err error
		if l.eng.cfg.ancillary && c.network() == "unix" {
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
		l.count(cBytesIn, uint64(n))
		if own {
			c.in = c.stash.Extend(c.in, n)
		} else {
			c.in = buf[:n]
		}
		// Edge-triggered, only EAGAIN re-arms the edge: a short read is not
		// enough, since a FIN that came with the data shows only on the next read.
		if !c.traffic(0) || !l.eng.cfg.edge || !c.wantsInput() || c.readsByPipe() {
			return
		}
	}
}

// flushNow writes queued output with gather calls (and sendfile for queued
// files) until the kernel takes no more; errors close the connection. It
// reports whether the connection is still open.
func (c *Conn) flushNow() bool {
	l := c.l
	for !c.out.Empty() {
		if span := c.out.HeadFile(); span != nil {
			switch more, ok := c.flushFile(span); {
			case !ok:
				return false
			case !more:
				return true
			}
			continue
		}
		bufs := c.out.Gather(l.gath[:0], maxIovecs)
		total := 0
		for _, b := range bufs {
			total += len(b)
		}
		n, err := sysWritev(c.fd, bufs, c.out.HeadControl(), l.iov)
		clear(bufs)
		switch classify(err) {
		case stepAgain:
			continue
		case stepWait:
			return true
		case stepFail:
			return c.closeNow(os.NewSyscallError("writev", err))
		}
		c.lastWrite = l.now
		l.count(cBytesOut, uint64(n))
		c.out.Advance(n)
		if n < total {
			return true
		}
	}
	return true
}
