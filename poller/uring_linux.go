package poller

import (
	"errors"
	"os"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/internal/completion"
	"github.com/sockloop/sockloop/internal/sched"
	"github.com/sockloop/sockloop/internal/uring"
)

// uringPoller is the io_uring backend as a readiness poller: one poll request
// per watched descriptor, reported from the ring's completions.
//
// The ring is set up with SINGLE_ISSUER and DEFER_TASKRUN, so it belongs to
// the OS thread that created it: it is created on the first Add, Modify,
// Delete or Wait, which the loop calls from its goroutine locked to its
// thread, never in New, which another goroutine calls. Wake and Close, which
// other goroutines call, use only the eventfd and the ring's descriptor.
//
// Level-triggered (the default), each descriptor gets a one-shot poll, and a
// poll that completes is armed again at the start of the next Wait: the new
// poll completes at once, inside that Wait's io_uring_enter, while the
// descriptor stays ready, so it is reported on every Wait as epoll reports it.
// Edge-triggered, each descriptor gets a multishot poll that posts one
// completion per wake-up of the socket, as EPOLLET does, and stays armed.
//
// io_uring always polls for POLLRDHUP, which is not reported. A level-
// triggered poll that completes with nothing else (a half-closed socket whose
// reading is paused) is followed by a multishot poll, which completes only on
// the socket's next change, so that the loop does not spin on it; once that
// change is reported the descriptor goes back to one-shot polls.
//
// Add and Modify only record what they want; the next Wait queues the poll
// cancellations and additions and hands them to the kernel in the same
// io_uring_enter that waits. Delete of a descriptor with a poll in the kernel
// submits at once (see Delete). A completion's user_data carries the descriptor
// and a generation counter bumped for every poll armed, so completions of
// polls cancelled by Delete or Modify, or of a descriptor number since reused,
// are recognised and dropped.
type uringPoller struct {
	ring      *uring.Ring // nil until the first use, on the loop's thread
	wakefd    int
	edge      bool
	sq, cq    uint32 // the ring's sizes
	flags     uint32 // the ring's setup flags, 0 for the best the kernel has
	overflows uint64 // times reap found completions held back by the kernel
	closed    atomic.Bool
	woken     atomic.Bool   // a wake-up is pending in wakefd
	rawWait   time.Duration // raw part of a blocking Wait, 0 for none (RawWait)
	runnable  *sched.Probe  // skips the raw part while goroutines wait for a P
	rawParts  uint64        // raw parts entered, for tests

	fds       []uringFd // by descriptor
	arms      []int32   // descriptors whose poll the next Wait arms
	cancels   []uint64  // user_data of polls the next Wait cancels
	wakeArmed bool      // the eventfd's multishot poll is armed
	seq       uint32    // counts Waits, to merge completions for one fd

	uringOps // the completion.Completer's state (uring_ops_linux.go)
}

// uringFd is the state of one descriptor number.
type uringFd struct {
	gen      uint32 // generation of the newest poll armed for the descriptor
	interest Event
	flags    uint8
	seq      uint32 // the Wait that gave it slot
	slot     int32  // its entry in that Wait's ready slice
}

const (
	fdWatched uint8 = 1 << iota // between Add and Delete
	fdArmed                     // a poll of generation gen is in the kernel
	fdMulti                     // that poll is multishot
	fdQuiet                     // level-triggered: arm a multishot poll (see uringPoller)
	fdQueued                    // listed in arms
	fdBroken                    // a poll failed: none is armed until Modify or Add
)

// Special user_data values; a descriptor's polls have fd in the low 32 bits,
// and no descriptor is 0xffffffff.
const (
	udWake   = ^uint64(0)     // the eventfd's poll
	udIgnore = ^uint64(0) - 1 // cancellations, whose failures need no answer
)

// Ring sizes: room for a loop turn's re-arms (a loop reports up to 256
// descriptors per Wait) and cancellations in the SQ, and for several polls'
// completions per descriptor in the CQ. Variables so that tests can make the
// queues overflow.
var (
	uringSQEntries uint32 = 512
	uringCQEntries uint32 = 4096
)

func newURing(opts Options) (Poller, error) {
	if err := uringUsable(); err != nil {
		return nil, err
	}
	wakefd, err := newEventfd()
	if err != nil {
		return nil, err
	}
	p := &uringPoller{wakefd: wakefd, edge: opts.EdgeTriggered, sq: uringSQEntries, cq: uringCQEntries}
	if opts.URingOff&URingDeferTaskrun != 0 {
		p.flags = uring.IORING_SETUP_COOP_TASKRUN | uring.IORING_SETUP_TASKRUN_FLAG | uring.IORING_SETUP_SUBMIT_ALL
	}
	if opts.RingEntries > 0 {
		p.sq = uint32(min(opts.RingEntries, 1<<15))
		p.cq = 8 * p.sq
	}
	p.rawWait = min(max(opts.RawWait, 0), MaxRawWait)
	if p.rawWait > 0 {
		p.runnable = sched.NewProbe()
	}
	p.uringOps.init(opts)
	return p, nil
}

func (p *uringPoller) overflowCount() uint64 { return p.overflows }

func (p *uringPoller) waitsRaw() bool { return p.rawWait > 0 }

// start creates the ring on the calling thread, which owns it from then on.
func (p *uringPoller) start() error {
	if p.closed.Load() {
		return ErrClosed
	}
	if p.ring != nil {
		return nil
	}
	r, err := uring.New(p.sq, uring.Options{CQEntries: p.cq, Flags: p.flags})
	if err != nil {
		return err
	}
	p.ring = r
	if r.Features()&uring.IORING_FEAT_EXT_ARG == 0 {
		p.rawWait = 0 // a raw wait needs a timeout, which needs EXT_ARG (Linux 5.11)
	}
	return nil
}

// state returns fd's entry, growing the table to hold it.
func (p *uringPoller) state(fd int) (*uringFd, error) {
	if fd < 0 || fd >= 1<<31-1 {
		return nil, os.NewSyscallError("io_uring poll", unix.EBADF)
	}
	if fd >= len(p.fds) {
		n := max(2*len(p.fds), fd+1, 64)
		fds := make([]uringFd, n)
		copy(fds, p.fds)
		p.fds = fds
	}
	return &p.fds[fd], nil
}

// watched returns fd's entry if Add watches it.
func (p *uringPoller) watched(fd int) (*uringFd, error) {
	if err := p.start(); err != nil {
		return nil, err
	}
	if fd < 0 || fd >= len(p.fds) || p.fds[fd].flags&fdWatched == 0 {
		return nil, os.NewSyscallError("io_uring poll", unix.ENOENT)
	}
	return &p.fds[fd], nil
}

func (p *uringPoller) Add(fd int, interest Event) error {
	if err := p.start(); err != nil {
		return err
	}
	st, err := p.state(fd)
	if err != nil {
		return err
	}
	if st.flags&fdWatched != 0 {
		return os.NewSyscallError("io_uring poll", unix.EEXIST)
	}
	st.flags = fdWatched | st.flags&fdQueued
	st.interest = interest
	p.queueArm(fd)
	return nil
}

func (p *uringPoller) Modify(fd int, interest Event) error {
	st, err := p.watched(fd)
	if err != nil {
		return err
	}
	if !p.edge && interest == st.interest && st.flags&(fdArmed|fdMulti|fdBroken) == fdArmed {
		// Level-triggered, the armed poll already reports what is asked.
		// Edge-triggered, a new poll reports readiness again, as
		// EPOLL_CTL_MOD does, which callers may rely on.
		return nil
	}
	st.interest = interest
	st.flags &^= fdQuiet | fdBroken
	p.disarm(fd, st)
	p.queueArm(fd)
	return nil
}

func (p *uringPoller) Delete(fd int) error {
	st, err := p.watched(fd)
	if err != nil {
		return err
	}
	armed := st.flags&fdArmed != 0
	p.disarm(fd, st)
	st.flags &= fdQueued
	if !armed {
		return nil // no poll in the kernel: a level-triggered report ended it
	}
	// The caller closes fd next, but an armed poll holds a reference to the
	// file: the socket would stay open until the next Wait cancels the poll,
	// and a loop that is ending (a listener closed at Stop) makes no next
	// Wait. So hand the kernel the cancellation now, and run the completion
	// it causes, which drops the reference, in one io_uring_enter (epoll
	// spends one epoll_ctl here too).
	p.queue()
	if _, err := p.ring.SubmitAndWait(0, 0); err != nil {
		return p.enterError(err)
	}
	return nil
}

// disarm queues the cancellation of fd's armed poll, if any.
func (p *uringPoller) disarm(fd int, st *uringFd) {
	if st.flags&fdArmed != 0 {
		p.cancels = append(p.cancels, userData(fd, st.gen))
		st.flags &^= fdArmed | fdMulti
	}
}

// queueArm lists fd for a poll at the next Wait.
func (p *uringPoller) queueArm(fd int) {
	st := &p.fds[fd]
	if st.flags&fdQueued == 0 {
		st.flags |= fdQueued
		p.arms = append(p.arms, int32(fd))
	}
}

// userData tags a poll as a completion token tags a connection (the
// generation above the descriptor), leaving the top byte 0, which tells
// polls from operations (see opData).
func userData(fd int, gen uint32) uint64 { return completion.Token(fd, gen) }

// pollMask is the poll(2) mask for interest; POLLERR and POLLHUP (and
// POLLRDHUP) are always polled for by io_uring.
func pollMask(interest Event) uint32 {
	var m uint32
	if interest&Readable != 0 {
		m |= unix.POLLIN
	}
	if interest&Writable != 0 {
		m |= unix.POLLOUT
	}
	return m
}

// fromPoll maps a completed poll's mask; POLLRDHUP is not reported (a read
// finds the end of input), POLLNVAL counts as an error.
func fromPoll(m uint32) Event {
	var e Event
	if m&(unix.POLLIN|unix.POLLPRI) != 0 {
		e |= Readable
	}
	if m&unix.POLLOUT != 0 {
		e |= Writable
	}
	if m&unix.POLLHUP != 0 {
		e |= Hangup
	}
	if m&(unix.POLLERR|unix.POLLNVAL) != 0 {
		e |= Error
	}
	return e
}

// queue puts the pending poll cancellations and additions in the submission
// queue, oldest first, so a cancellation always precedes the poll that
// replaces it. It reports false if some are left for want of room.
func (p *uringPoller) queue() bool {
	if !p.wakeArmed {
		sqe := p.getSQE()
		if sqe == nil {
			return false
		}
		sqe.PrepPollAdd(p.wakefd, unix.POLLIN, true)
		sqe.UserData = udWake
		p.wakeArmed = true
	}
	i := 0
	for ; i < len(p.cancels); i++ {
		sqe := p.getSQE()
		if sqe == nil {
			break
		}
		// ASYNC_CANCEL, not POLL_REMOVE: a poll whose wake-up is being
		// handled (its task work pending, as DEFER_TASKRUN leaves it until
		// the next enter) refuses POLL_REMOVE with -EALREADY, and a
		// multishot poll then stays armed for good, holding the closed
		// socket's file open. A cancellation marks the poll, and whoever
		// handles it completes it with -ECANCELED.
		sqe.PrepCancel(p.cancels[i], 0)
		sqe.UserData = udIgnore
		sqe.Flags |= uring.IOSQE_CQE_SKIP_SUCCESS
	}
	p.cancels = p.cancels[:copy(p.cancels, p.cancels[i:])]
	if len(p.cancels) > 0 {
		return false
	}
	i = 0
	for ; i < len(p.arms); i++ {
		fd := int(p.arms[i])
		st := &p.fds[fd]
		if st.flags&(fdWatched|fdArmed|fdBroken) != fdWatched {
			st.flags &^= fdQueued
			continue
		}
		sqe := p.getSQE()
		if sqe == nil {
			break
		}
		st.flags &^= fdQueued | fdMulti
		st.flags |= fdArmed
		st.gen++
		multi := p.edge || st.flags&fdQuiet != 0
		if multi {
			st.flags |= fdMulti
		}
		sqe.PrepPollAdd(fd, pollMask(st.interest), multi)
		sqe.UserData = userData(fd, st.gen)
	}
	p.arms = p.arms[:copy(p.arms, p.arms[i:])]
	return len(p.arms) == 0
}

// getSQE returns a free SQE, submitting the full queue to make room (the
// only extra io_uring_enter, when more than the queue holds changed in one
// turn); nil if the kernel takes none now.
func (p *uringPoller) getSQE() *uring.SQE {
	if sqe := p.ring.GetSQE(); sqe != nil {
		return sqe
	}
	if _, err := p.ring.Submit(); err != nil {
		return nil // the Wait's own enter reports it
	}
	return p.ring.GetSQE()
}

func (p *uringPoller) Wake() error {
	if p.closed.Load() {
		return ErrClosed
	}
	if p.woken.Swap(true) {
		return nil
	}
	return signalEventfd(p.wakefd)
}

// Close closes the eventfd and the ring, which may be done from any thread:
// the kernel cancels the polls still armed as it tears the ring down.
func (p *uringPoller) Close() error {
	if p.closed.Swap(true) {
		return ErrClosed
	}
	var errs []error
	if err := unix.Close(p.wakefd); err != nil {
		errs = append(errs, os.NewSyscallError("close", err))
	}
	if p.ring != nil {
		if err := p.ring.Close(); err != nil {
			errs = append(errs, err)
		}
		p.ring = nil
		if err := p.closeOps(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
