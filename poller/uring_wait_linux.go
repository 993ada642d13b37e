package poller

// The Wait half of the io_uring backend (uring_linux.go has the design): one
// io_uring_enter that submits and waits, then the completions turned into
// ready descriptors, at most one entry per descriptor per Wait.

import (
	"errors"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/internal/completion"
	"github.com/sockloop/sockloop/internal/uring"
)

func (p *uringPoller) Wait(ready []Ready, timeout time.Duration) (int, error) {
	if len(ready) == 0 {
		return 0, nil
	}
	if err := p.start(); err != nil {
		return 0, err
	}
	p.publishBuffers()
	wait := uint32(1)
	if !p.queueRecvs() || !p.queue() || timeout == 0 || p.woken.Load() {
		wait, timeout = 0, 0
	}
	if wait == 1 && p.rawWait > 0 && !p.runnable.Waiting() {
		// A raw wait first, as long as the whole wait if that is shorter
		// (see Options.RawWait), unless goroutines wait for a P: the
		// raw wait would keep this one from them.
		start := time.Now()
		p.rawParts++
		if _, err := p.ring.SubmitAndWaitRaw(1, rawPart(p.rawWait, timeout)); err != nil {
			return 0, p.enterError(err)
		}
		if p.ring.CQReady() > 0 || p.ring.OverflowPending() {
			return p.reap(ready)
		}
		var ok bool
		if timeout, ok = leftAfterRaw(timeout, start); !ok {
			return p.reap(ready)
		}
	}
	if _, err := p.ring.SubmitAndWait(wait, timeout); err != nil {
		return 0, p.enterError(err)
	}
	return p.reap(ready)
}

// enterError explains the one failure a caller can cause.
func (p *uringPoller) enterError(err error) error {
	if errors.Is(err, unix.EEXIST) {
		return errors.New("poller: io_uring ring used from a thread other than its own; " +
			"the goroutine calling Add, Modify, Delete and Wait must hold runtime.LockOSThread: " + err.Error())
	}
	if p.closed.Load() {
		return ErrClosed
	}
	return err
}

// reap turns completions into ready descriptors, one entry per descriptor,
// until the CQ ring is empty or ready is full; what is left waits for the
// next Wait. Completions held back after a CQ overflow are brought in as the
// ring empties.
func (p *uringPoller) reap(ready []Ready) (int, error) {
	p.seq++
	p.done = p.done[:0]
	r := p.ring
	n := 0
	for n < len(ready) && len(p.done) < cap(p.done) {
		c := r.PeekCQE()
		if c == nil {
			if !r.OverflowPending() {
				break
			}
			p.overflows++
			if err := r.FlushCQ(); err != nil {
				return n, err
			}
			if r.CQReady() == 0 {
				break
			}
			continue
		}
		ud, res, flags := c.UserData, c.Res, c.Flags
		r.AdvanceCQ(1)
		n = p.complete(ud, res, flags, ready, n)
	}
	return n, nil
}

// complete handles one completion and returns how many entries of ready are
// filled after it.
func (p *uringPoller) complete(ud uint64, res int32, flags uint32, ready []Ready, n int) int {
	more := flags&uring.IORING_CQE_F_MORE != 0
	switch ud {
	case udWake:
		// The counter is never read: every write to an eventfd wakes its
		// multishot poll, whatever the count.
		p.woken.Store(false)
		if !more {
			p.wakeArmed = false
		}
		return n
	case udIgnore:
		return n
	}
	if op := completion.Op(ud >> 56); op != 0 {
		p.completeOp(op, ud&completion.MaxToken, res, flags)
		return n
	}
	fd, gen := int(int32(uint32(ud))), uint32(ud>>32)
	if fd < 0 || fd >= len(p.fds) {
		return n
	}
	st := &p.fds[fd]
	if st.flags&(fdWatched|fdArmed) != fdWatched|fdArmed || st.gen&completion.GenMask != gen {
		return n // a poll cancelled by Delete or Modify
	}
	if !more {
		st.flags &^= fdArmed | fdMulti
	}
	var ev Event
	switch {
	case res < 0:
		// The poll failed (a descriptor closed before Delete, -EBADF):
		// report an error for the caller to find, and poll no more until
		// Modify or Add.
		st.flags |= fdBroken
		ev = Error
	case p.edge:
		ev = fromPoll(uint32(res))
	default:
		ev = fromPoll(uint32(res))
		if ev == 0 {
			st.flags |= fdQuiet // POLLRDHUP alone: wait for a change
			break
		}
		st.flags &^= fdQuiet
		if more {
			// A quiet multishot poll saw a change: back to one-shot polls,
			// which report again while the descriptor stays ready.
			p.disarm(fd, st)
		}
	}
	if st.flags&(fdArmed|fdBroken) == 0 {
		p.queueArm(fd)
	}
	if ev == 0 {
		return n
	}
	if st.seq == p.seq && int(st.slot) < n && ready[st.slot].Fd == fd {
		ready[st.slot].Events |= ev
		return n
	}
	st.seq, st.slot = p.seq, int32(n)
	ready[n] = Ready{Fd: fd, Events: ev}
	return n + 1
}
