package loop

import (
	"os"

	"github.com/sockloop/sockloop/internal/completion"
)

// sendRing sends the queued output with one gathered send operation, unless
// one is in flight already; its completion sends the rest. The send is
// issued at the end of the loop's turn (issueSends), with all the output
// queued by then. Files, pipes and control data at the head go out through
// system calls, with a poll for writability if the socket is full. It
// reports whether c is still open.
func (c *Conn) sendRing() bool {
	r := &c.ring
	r.flags &^= ringSyncWait
	if r.flags&ringSending != 0 || c.out.Empty() {
		return true
	}
	// Nothing borrowed may reach the kernel: the send outlives the callback.
	c.out.Detach()
	if c.out.HeadFile() != nil || c.out.HeadControl() != nil {
		switch {
		case !c.flushNow():
			return false
		case c.out.Empty():
			return true
		case c.out.HeadFile() != nil || c.out.HeadControl() != nil:
			r.flags |= ringSyncWait
			return true
		}
	}
	if !c.l.batchSends {
		return c.issueSend()
	}
	r.flags |= ringSending // listed: no other send until this one completes
	c.l.sends = append(c.l.sends, c)
	return true
}

// issueSend hands the kernel one gathered send of the queued output; it
// reports whether c is still open.
func (c *Conn) issueSend() bool {
	l := c.l
	c.out.Detach() // nothing borrowed may reach the kernel
	bufs := c.out.Gather(l.gath[:0], maxIovecs)
	err := l.ops.Send(c.fd, bufs, c.token())
	clear(bufs)
	if err != nil {
		return c.closeNow(err)
	}
	c.ring.flags |= ringSending
	c.ring.inflight++
	return true
}

// issueSends issues the sends sendRing listed during the turn, where the
// poller hands operations to the kernel at its next Wait anyway (io_uring):
// issued at once, a relay's send carried one receive completion's bytes
// (16 KiB) while the rest of the turn's input queued behind it, and its
// output passed the high-water mark, pausing and resuming reading, every
// other turn. Where each operation starts as it is asked for (IOCP), sends
// go at once: listed there, a send went out after the cancellation of a
// paused receive, and under Wine it then never learned of a reset.
func (l *Loop) issueSends() {
	for i := 0; i < len(l.sends); i++ {
		c := l.sends[i]
		l.sends[i] = nil
		c.ring.flags &^= ringSending
		if !c.alive() || c.out.Empty() {
			continue
		}
		if !c.issueSend() {
			l.settle() // OnClose may have written to other connections
		}
	}
	l.sends = l.sends[:0]
}

// onSend serves a send's completion.
func (c *Conn) onSend(cp *completion.Completion) {
	c.ring.flags &^= ringSending
	c.ring.inflight--
	if c.state == stateClosed {
		return
	}
	switch err := cp.Err(); {
	case err == nil:
		c.lastWrite = c.l.now
		c.l.count(cBytesOut, uint64(cp.Res))
		c.out.Advance(int(cp.Res))
	case err == errIntr, err == errAgain:
	default:
		c.closeNow(os.NewSyscallError("sendmsg", err))
		return
	}
	if c.sendRing() {
		c.afterFlush()
	}
}
