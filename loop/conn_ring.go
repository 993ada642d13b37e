package loop

import (
	"os"

	"github.com/sockloop/sockloop/internal/completion"
	"github.com/sockloop/sockloop/poller"
)

// The completion path: where the poller has a Completer (io_uring on Linux
// 6.0+), stream connections are served by operations the kernel carries out
// instead of readiness and system calls. A multishot receive stays armed
// while the connection reads, its completions bring input in provided
// buffers that OnTraffic sees in place, and output goes out as one gathered
// send per connection at a time, the next one issued when the last
// completes. The poller still watches what the ring does not carry: a dial
// until it connects, a splice's source, and writability while a file, a pipe
// or control data waits at the head of the output.
//
// A provided buffer is counted while the callback that sees it runs, and
// once per piece of it queued as output; it goes back to the kernel when the
// count drops to zero. A connection closed with operations in flight keeps
// its descriptor and its output (which the kernel may still be reading)
// until their last completions arrive, in l.zombies.

// ringBuffers is how many provided buffers each loop's receives share; a
// variable so that tests can make them run out.
var ringBuffers = 256

// ringEntries sizes io_uring rings (0: the poller's default); a variable so
// that tests can make the completion queue overflow.
var ringEntries = 0

// maxRingBuffer caps a provided buffer's size; the engine's read buffer
// size, when smaller, is used instead.
const maxRingBuffer = completion.MaxBufferSize

// useRing puts a stream connection on the completion path where the loop
// has one: all of it, except a Unix connection passing descriptors, which
// reads and writes with control data through system calls.
func (l *Loop) useRing(c *Conn) {
	if c.ringRecv || c.ringSend {
		return // a connect operation put it there already
	}
	if l.ops == nil || !c.stream || (l.eng.cfg.ancillary && c.network == "unix") {
		return
	}
	c.ringRecv, c.ringSend = true, true
	l.gen++
	c.gen = l.gen & completion.GenMask
}

// token names the connection in its operations: its descriptor and a
// generation, so that a completion for an earlier connection on the same
// descriptor number is not taken for this one's.
func (c *Conn) token() uint64 { return completion.Token(c.fd, c.gen) }

// updateRing is updateInterest for a connection on the completion path.
func (c *Conn) updateRing() {
	want := c.wantInterest()
	poll := want
	if c.ringRecv {
		c.steerRecv(want&poller.Readable != 0)
		poll &^= poller.Readable
	} else if c.recvArmed {
		// Becoming a splice's source: the receive's last completion comes
		// first, so that no input it brings can pass what splice moves.
		poll &^= poller.Readable
	}
	if c.ringSend && !c.syncWait {
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
	c.wantRecv = want
	l := c.l
	if want && (c.heldN > 0 || c.eofHeld) && !c.redeliver {
		c.redeliver = true
		l.redeliver = append(l.redeliver, c)
	}
	switch {
	case want && !c.recvArmed && !c.starving && !c.eofHeld && c.heldN == 0:
		if err := c.armRecv(); err != nil {
			c.closeNow(err)
			return
		}
	case !want && c.recvArmed && !c.recvCancel:
		if err := l.ops.Cancel(completion.OpRecv, c.token()); err != nil {
			c.closeNow(err)
			return
		}
		c.recvCancel, c.throttled = true, true
	}
}

// armRecv arms a receive, limited to what recvLimit allows.
func (c *Conn) armRecv() error {
	if err := c.l.ops.Recv(c.fd, c.token(), c.recvLimit()); err != nil {
		return err
	}
	c.recvArmed, c.recvCancel = true, false
	c.inflight++
	return nil
}

// recvLimit is the most a receive armed now may bring: one read's worth
// where the poller can count bytes. Where it can only end a receive after
// its first completion, that costs an operation per buffer, which only a
// connection that has paused reading (throttled) pays: the others keep an
// unlimited multishot receive, and their first pause may hold what it
// brought before its cancellation took effect.
func (c *Conn) recvLimit() int {
	if c.l.boundsRecv || c.throttled {
		// The last completion may pass the limit by less than a buffer.
		return max(c.l.eng.cfg.readBuf-c.l.ringBufSize(), 1)
	}
	return 0
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
		c.inflight--
		if c.state == stateConnecting {
			var err error
			if cp.Res < 0 {
				err = os.NewSyscallError("connect", cp.Err())
			}
			c.connected(err)
		}
	}
	if c.state == stateClosed && c.inflight == 0 && l.zombies[cp.Token] == c {
		// Only a zombie still owns its descriptor: a connection closed by
		// this very completion, with nothing else in flight, closed it then.
		c.bury()
	}
	l.settle()
}

// onRecv serves a receive's completion.
func (c *Conn) onRecv(cp *completion.Completion) {
	if !cp.More {
		c.recvArmed, c.recvCancel = false, false
		c.inflight--
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
		if c.heldN > 0 || c.wantInterest()&poller.Readable == 0 {
			// Input held while paused is older: the end waits for it.
			c.eofHeld = true
			break
		}
		c.endOfInput()
	case err == errNoBufs:
		// Every buffer is in use: the data waits in the socket until some
		// come back, and the receive is armed again then.
		c.starving = true
		c.l.starved = append(c.l.starved, c)
		c.l.starvations++
	case err == errCanceled, err == errIntr, err == errAgain:
	default:
		c.closeNow(os.NewSyscallError("recv", err))
	}
	if !cp.More && c.state != stateClosed {
		c.updateInterest() // arms it again if input is still wanted
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
	if link := c.spliceLinkOut(); link != nil {
		// Received before the switch to splicing: it goes first.
		link.dst.Write(buf)
		l.giveBack(id)
		return
	}
	if c.stash.Empty() && c.heldN == 0 && c.wantInterest()&poller.Readable != 0 {
		l.holdBuffer(id, buf)
		c.in = buf
		c.act(l.eng.h.OnTraffic(c))
		c.afterTraffic()
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
	c.heldN += len(buf)
	l.giveBack(id)
	c.serveHeld()
}

// serveHeld offers held input (the last heldN bytes of c.in) while the
// connection wants input, at most one provided buffer's worth more per
// OnTraffic, as receives would have brought it: backpressure that engages
// after one callback holds the rest back, as it holds back reads. Input the
// handler has seen and left comes first, each time.
func (c *Conn) serveHeld() {
	step := c.l.ringBufSize()
	for c.heldN > 0 && c.state == stateOpen && c.wantInterest()&poller.Readable != 0 {
		all := c.in
		take := min(c.heldN, step)
		seen := len(all) - c.heldN + take
		c.heldN -= take
		c.in = all[:seen]
		c.act(c.l.eng.h.OnTraffic(c))
		if c.state == stateClosed {
			return
		}
		c.in = all[seen-len(c.in):] // c.in is a suffix of what was offered
		c.afterTraffic()
	}
}

// redeliverHeld serves, once reading resumed, input and an end of input that
// arrived while it was paused.
func (l *Loop) redeliverHeld() {
	for i := 0; i < len(l.redeliver); i++ {
		c := l.redeliver[i]
		l.redeliver[i] = nil
		c.redeliver = false
		if c.state != stateOpen || !c.wantRecv {
			continue
		}
		c.serveHeld()
		if c.eofHeld && c.heldN == 0 && c.state == stateOpen && c.wantInterest()&poller.Readable != 0 {
			c.eofHeld = false
			c.endOfInput()
		}
		if c.state == stateOpen {
			c.updateInterest() // receives again once nothing is held
		}
	}
	l.redeliver = l.redeliver[:0]
}

// ringBufSize is the size of one provided buffer: one receive's worth.
func (l *Loop) ringBufSize() int { return min(l.eng.cfg.readBuf, maxRingBuffer) }

// holdBuffer makes buf (provided buffer id) the input being served, counted
// once until the callback returns.
func (l *Loop) holdBuffer(id uint16, buf []byte) {
	if int(id) >= len(l.bufRefs) {
		// Sized once for every buffer the ring has, so that the first
		// receives of each id allocate nothing.
		n := max(ringBuffers, int(id)+1)
		refs := make([]int32, n)
		copy(refs, l.bufRefs)
		l.bufRefs = refs
		lent := make([]bool, n)
		copy(lent, l.bufLent)
		l.bufLent = lent
		for i := len(l.bufDone); i < n; i++ {
			l.bufDone = append(l.bufDone, func(error) { l.unrefBuffer(uint16(i)) })
		}
	}
	l.bufRefs[id] = 1
	l.curID, l.curBuf = int32(id), buf
}

// lendInput queues b, a piece of the provided buffer being served, on c's
// output by reference, counting it until it is sent or dropped. Output can
// wait long on a slow peer, so at most half the buffers are lent at a time:
// beyond that b is copied, and receives never starve for buffers that
// stalled connections hold.
func (l *Loop) lendInput(c *Conn, b []byte) {
	id := l.curID
	if !l.bufLent[id] {
		if l.lent >= ringBuffers/2 {
			c.out.Copy(b)
			return
		}
		l.bufLent[id] = true
		l.lent++
	}
	l.bufRefs[id]++
	c.out.Lend(b, l.bufDone[id])
}

// unrefBuffer drops one count of provided buffer id, giving it back to the
// kernel at the last.
func (l *Loop) unrefBuffer(id uint16) {
	if l.bufRefs[id]--; l.bufRefs[id] > 0 {
		return
	}
	if l.bufLent[id] {
		l.bufLent[id] = false
		l.lent--
	}
	l.giveBack(id)
}

// giveBack returns provided buffer id to the kernel.
func (l *Loop) giveBack(id uint16) {
	l.ops.ReleaseBuffer(id)
	l.freed = true
}

// feedStarved arms again, once buffers came back, the receives that ended
// for want of them; the buffers reach the kernel before the next wait.
func (l *Loop) feedStarved() {
	if !l.freed {
		return
	}
	l.freed = false
	for i := 0; i < len(l.starved); i++ {
		c := l.starved[i]
		l.starved[i] = nil
		c.starving = false
		if c.state != stateClosed {
			c.updateInterest()
		}
	}
	l.starved = l.starved[:0]
}

// flushRing sends the queued output with one gathered send operation, unless
// one is in flight already; its completion sends the rest. Files, pipes and
// control data at the head go out through system calls, with a poll for
// writability if the socket is full.
func (c *Conn) flushRing() {
	c.syncWait = false
	if c.sending || c.out.Empty() {
		return
	}
	// Nothing borrowed may reach the kernel: the send outlives the callback.
	c.out.Detach()
	if c.out.HeadFile() != nil || c.out.HeadControl() != nil {
		c.flushNow()
		if c.state != stateClosed && !c.out.Empty() && (c.out.HeadFile() != nil || c.out.HeadControl() != nil) {
			c.syncWait = true
		} else if c.state != stateClosed && !c.out.Empty() {
			c.flushRing()
		}
		return
	}
	l := c.l
	bufs := c.out.Gather(l.gath[:0], maxIovecs)
	err := l.ops.Send(c.fd, bufs, c.token())
	clear(bufs)
	if err != nil {
		c.closeNow(err)
		return
	}
	c.sending = true
	c.inflight++
}

// onSend serves a send's completion.
func (c *Conn) onSend(cp *completion.Completion) {
	c.sending = false
	c.inflight--
	if c.state == stateClosed {
		return
	}
	switch err := cp.Err(); {
	case err == nil:
		c.lastWrite = c.l.now
		c.out.Advance(int(cp.Res))
	case err == errIntr, err == errAgain:
	default:
		c.closeNow(os.NewSyscallError("sendmsg", err))
		return
	}
	c.flush()
	c.afterFlush()
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
