package loop

import (
	"os"

	"github.com/sockloop/sockloop/internal/completion"
	"github.com/sockloop/sockloop/poller"
)

// The completion driver: where the poller carries out socket operations
// (io_uring on Linux 6.0+, IOCP on Windows), stream connections are served
// by operations instead of readiness and system calls. A multishot receive
// stays armed while the connection reads, its completions bring input in
// provided buffers that OnTraffic sees in place (conn_ring_buffers.go), and
// output goes out as one gathered send per connection at a time, the next
// one issued when the last completes (conn_ring_send.go). The poller still
// watches what the ring does not carry: a dial until it connects, a
// splice's source, and writability while a file, a pipe or control data
// waits at the head of the output.
//
// A connection closed with operations in flight keeps its descriptor and
// its output (which the kernel may still be reading) until their last
// completions arrive, in l.zombies.

// ringEntries sizes io_uring rings (0: the poller's default); a variable so
// that tests can make the completion queue overflow.
var ringEntries = 0

// ringConn is what the completion driver keeps per connection.
type ringConn struct {
	gen      uint32    // tells this connection's completions from a predecessor's
	inflight int32     // operations whose last completion has not arrived
	held     int32     // bytes at the end of c.in that arrived while not reading, not yet offered
	flags    ringFlags // the operations' state
}

// ringFlags is the state of a connection's operations.
type ringFlags uint16

const (
	ringRecvArmed  ringFlags = 1 << iota // a receive is in the kernel
	ringRecvCancel                       // its cancellation was asked for
	ringThrottled                        // reading paused once: receives are limited (recvLimit)
	ringStarving                         // the receive ended for want of buffers; in l.starved
	ringEOFHeld                          // the end of input arrived behind held input
	ringRedeliver                        // in l.redeliver
	ringSending                          // a send is in flight
	ringSyncWait                         // a file, pipe or control data at the head waits for writability
	ringDialed                           // connected by a connect operation
)

// ringDriver serves a connection with operations: a receive armed while it
// reads, one gathered send in flight while output waits.
type ringDriver struct{}

// token names the connection in its operations: its descriptor and a
// generation, so that a completion for an earlier connection on the same
// descriptor number is not taken for this one's.
func (c *Conn) token() uint64 { return completion.Token(c.fd, c.ring.gen) }

// newGen gives a connection that starts using operations its generation.
func (l *Loop) newGen(c *Conn) {
	l.gen++
	c.ring.gen = l.gen & completion.GenMask
}

func (ringDriver) start(c *Conn) error {
	return c.armRecv()
}

// recvByOp reports whether c's input comes from receive operations: all
// the time, except while a relay pipes it, when splice(2) reads it as the
// poller says.
func (c *Conn) recvByOp() bool { return !c.readsByPipe() }

// sync arms or cancels the receive, and watches with the poller what the
// operations do not carry: a splice's source, and writability while a file,
// a pipe or control data waits at the head of the output.
func (ringDriver) sync(c *Conn) {
	want := c.wantInterest()
	poll := want &^ poller.Readable
	switch {
	case c.recvByOp():
		c.steerRecv(want&poller.Readable != 0)
	case c.ring.flags&ringRecvArmed != 0:
		// Becoming a splice's source: the receive's last completion comes
		// first, so that no input it brings can pass what splice moves.
		c.steerRecv(false)
	default:
		poll = want
	}
	if !c.alive() {
		return
	}
	if c.ring.flags&ringSyncWait == 0 {
		poll &^= poller.Writable
	}
	if poll == c.interest {
		return
	}
	var err error
	switch {
	case c.interest == 0:
		err = c.l.poll.Add(c.fd, poll)
	case poll == 0:
		err = c.l.poll.Delete(c.fd)
	default:
		err = c.l.poll.Modify(c.fd, poll)
	}
	if err != nil {
		c.closeNow(err)
		return
	}
	c.interest = poll
}

func (ringDriver) send(c *Conn) bool { return c.sendRing() }

// ready serves what the poller watches for a connection on operations.
func (ringDriver) ready(c *Conn, ev poller.Event) {
	if c.interest == 0 {
		return // reported before sync took the socket out of the poller
	}
	if c.interest&poller.Readable != 0 && ev&(poller.Readable|poller.Hangup|poller.Error) != 0 && c.readsByPipe() {
		c.spliceRead()
	}
	if c.alive() && ev&poller.Writable != 0 && c.sendRing() {
		c.afterFlush()
	}
	// A splice's source that does not read learns of a hang-up only from
	// the socket; a receive operation learns of it itself.
	if c.alive() && !c.recvByOp() && c.interest&poller.Readable == 0 && ev&(poller.Hangup|poller.Error) != 0 && c.parkAfterHangup() {
		// Parked: out of the poller (interest 0, which a sync during the
		// read may have reached already) until sync wants it again.
		if c.interest != 0 {
			if err := c.l.poll.Delete(c.fd); err != nil {
				c.closeNow(err)
				return
			}
		}
		c.interest = 0
	}
}

func (ringDriver) reading(c *Conn) bool {
	if c.recvByOp() {
		return c.wantsInput()
	}
	return c.interest&poller.Readable != 0
}

// release cancels the operations in flight: the kernel may still read the
// output and fill buffers for the socket, so the close finishes when the
// last completion arrives (bury).
func (ringDriver) release(c *Conn) bool {
	l := c.l
	if c.interest != 0 {
		l.poll.Delete(c.fd)
	}
	if c.ring.inflight == 0 {
		return false
	}
	l.ops.CancelFd(c.fd)
	l.zombies[c.token()] = c
	return true
}

// steerRecv arms a receive while the connection wants input and has none
// held, and cancels it when it no longer wants input.
//
// A multishot receive goes on filling buffers until its cancellation takes
// effect, and what it brings meanwhile is held in user space: so each
// receive may bring at most one read's worth (recvLimit) before it ends and
// is armed again, and held input is served before anything more is
// received. A connection holds at most its high-water mark of output and
// one read of input, as on the readiness path.
func (c *Conn) steerRecv(want bool) {
	l, r := c.l, &c.ring
	if want && (r.held > 0 || r.flags&ringEOFHeld != 0) && r.flags&ringRedeliver == 0 {
		r.flags |= ringRedeliver
		l.redeliver = append(l.redeliver, c)
	}
	switch {
	case want && r.flags&(ringRecvArmed|ringStarving|ringEOFHeld) == 0 && r.held == 0:
		if err := c.armRecv(); err != nil {
			c.closeNow(err)
		}
	case !want && r.flags&(ringRecvArmed|ringRecvCancel) == ringRecvArmed:
		if err := l.ops.Cancel(completion.OpRecv, c.token()); err != nil {
			c.closeNow(err)
			return
		}
		r.flags |= ringRecvCancel | ringThrottled
	}
}

// armRecv arms a receive, limited to what recvLimit allows.
func (c *Conn) armRecv() error {
	if err := c.l.ops.Recv(c.fd, c.token(), c.recvLimit()); err != nil {
		return err
	}
	c.ring.flags = c.ring.flags&^ringRecvCancel | ringRecvArmed
	c.ring.inflight++
	return nil
}

// recvLimit is the most a receive armed now may bring: one read's worth
// where the poller can count bytes. Where it can only end a receive after
// its first completion, that costs an operation per buffer, which only a
// connection that has paused reading (throttled) pays: the others keep an
// unlimited multishot receive, and their first pause may hold what it
// brought before its cancellation took effect.
func (c *Conn) recvLimit() int {
	if c.l.boundsRecv || c.ring.flags&ringThrottled != 0 {
		// The last completion may pass the limit by less than a buffer.
		return max(c.l.eng.cfg.readBuf-c.l.ringBufSize(), 1)
	}
	return 0
}

// completeOps serves the completions the last Wait reaped, then what they
// left to do: receives to arm again now that buffers came back, input held
// while reading was paused. It reports whether there were any.
func (l *Loop) completeOps() bool {
	if l.ops == nil {
		return false
	}
	done := l.ops.Completions()
	for i := range done {
		l.complete(&done[i])
	}
	l.feedStarved()
	l.redeliverHeld()
	return len(done) > 0
}

// opsPending reports whether the completion driver has work for the next
// turn that no completion will announce, so that the loop must not block.
func (l *Loop) opsPending() bool {
	return len(l.redeliver) > 0 || (len(l.starved) > 0 && l.freed)
}

// complete serves one completion the poller reaped.
func (l *Loop) complete(cp *completion.Completion) {
	if cp.Op == completion.OpAccept {
		l.onAccept(cp)
		return
	}
	c := l.conns.get(completion.TokenFd(cp.Token))
	if c == nil || c.token() != cp.Token {
		c = l.zombies[cp.Token]
	}
	if c == nil {
		// Nothing waits for it: no operation outlives its connection's
		// entry, so this cannot happen; give the buffer back regardless.
		if cp.Buf != nil {
			l.giveBack(cp.BufID)
		}
		return
	}
	switch cp.Op {
	case completion.OpRecv:
		c.onRecv(cp)
	case completion.OpSend:
		c.onSend(cp)
	case completion.OpConnect:
		c.ring.inflight--
		if c.state == stateConnecting {
			var err error
			if cp.Res < 0 {
				err = os.NewSyscallError("connect", cp.Err())
			}
			c.connected(err)
		}
	}
	if c.state == stateClosed && c.ring.inflight == 0 && l.zombies[cp.Token] == c {
		// Only a zombie still owns its descriptor: a connection closed by
		// this very completion, with nothing else in flight, closed it then.
		c.bury()
	}
	l.settle()
}

// onRecv serves a receive's completion.
func (c *Conn) onRecv(cp *completion.Completion) {
	r := &c.ring
	if !cp.More {
		r.flags &^= ringRecvArmed | ringRecvCancel
		r.inflight--
	}
	if c.state == stateClosed {
		if cp.Buf != nil {
			c.l.giveBack(cp.BufID)
		}
		return
	}
	switch err := cp.Err(); {
	case cp.Res > 0:
		c.received(cp.Buf, cp.BufID)
	case cp.Res == 0:
		if r.held > 0 || !c.wantsInput() {
			// Input held while paused is older: the end waits for it.
			r.flags |= ringEOFHeld
			break
		}
		c.endOfInput()
	case err == errNoBufs:
		// Every buffer is in use: the data waits in the socket until some
		// come back, and the receive is armed again then.
		r.flags |= ringStarving
		c.l.starved = append(c.l.starved, c)
		c.l.starvations++
	case err == errCanceled, err == errIntr, err == errAgain:
	default:
		c.closeNow(os.NewSyscallError("recv", err))
	}
	if !cp.More && c.alive() {
		c.drv.sync(c) // arms it again if input is still wanted
	}
}

// received offers the bytes in provided buffer id to OnTraffic, in place when
// nothing is left over from earlier input. Otherwise, and while reading is
// paused (the receive's cancellation was on its way), they are copied behind
// the leftovers into the connection's own buffer, to be offered one read's
// worth at a time (serveHeld).
func (c *Conn) received(buf []byte, id uint16) {
	l := c.l
	if c.state != stateOpen {
		l.giveBack(id) // closing: nothing more is read
		return
	}
	c.lastRead = l.now
	l.count(cBytesIn, uint64(len(buf)))
	if link := c.linkOut(); link != nil && link.piping {
		// Received before the switch to the pipe: it goes first.
		link.dst.Write(buf)
		l.giveBack(id)
		return
	}
	if c.stash.Empty() && c.ring.held == 0 && c.wantsInput() {
		l.holdBuffer(id, buf)
		c.in = buf
		c.traffic(0)
		l.curID, l.curBuf = -1, nil
		l.unrefBuffer(id)
		return
	}
	if c.stash.Empty() {
		c.in = c.stash.Keep(buf)
	} else {
		var spare []byte
		spare, c.in = c.stash.Spare(c.in, len(buf))
		c.in = c.stash.Extend(c.in, copy(spare, buf))
	}
	c.ring.held += int32(len(buf))
	l.giveBack(id)
	c.serveHeld()
}

// serveHeld offers held input (the last ring.held bytes of c.in) while the
// connection wants input, at most one provided buffer's worth more per
// OnTraffic, as receives would have brought it: backpressure that engages
// after one callback holds the rest back, as it holds back reads. Input the
// handler has seen and left comes first, each time.
func (c *Conn) serveHeld() {
	step := int32(c.l.ringBufSize())
	for c.ring.held > 0 && c.wantsInput() {
		take := min(c.ring.held, step)
		c.ring.held -= take
		c.in = c.in[:len(c.in)-int(c.ring.held)]
		if !c.traffic(int(c.ring.held)) {
			return
		}
	}
}

// redeliverHeld serves, once reading resumed, input and an end of input that
// arrived while it was paused.
func (l *Loop) redeliverHeld() {
	for i := 0; i < len(l.redeliver); i++ {
		c := l.redeliver[i]
		l.redeliver[i] = nil
		c.ring.flags &^= ringRedeliver
		if !c.wantsInput() {
			continue
		}
		c.serveHeld()
		if c.ring.flags&ringEOFHeld != 0 && c.ring.held == 0 && c.wantsInput() {
			c.ring.flags &^= ringEOFHeld
			c.endOfInput()
		}
		if c.state == stateOpen {
			c.drv.sync(c) // receives again once nothing is held
		}
	}
	l.redeliver = l.redeliver[:0]
}

// bury finishes the close of a connection whose last operation completed:
// its descriptor closes and its output, which the kernel no longer reads,
// is dropped.
func (c *Conn) bury() {
	l := c.l
	delete(l.zombies, c.token())
	closeFD(c.fd)
	c.out.Reset(c.x.dropErr) // closeNow made c.x for it
	c.x.dropErr = nil
}
