package poller

import (
	"os"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/internal/rawsys"
	"github.com/sockloop/sockloop/internal/sched"
)

// epoll is the Linux backend: one epoll instance and one eventfd for Wake.
type epoll struct {
	epfd     int
	wakefd   int
	edge     uint32
	events   []unix.EpollEvent
	woken    atomic.Bool // a wake-up is pending in wakefd
	wakeBuf  [8]byte
	rawWait  time.Duration // raw part of a blocking Wait, 0 for none (Options.RawWait)
	rawLimit unix.Timespec // its timeout, for epoll_pwait2
	runnable *sched.Probe  // skips the raw part while goroutines wait for a P
}

func newPoller(opts Options) (Poller, error) {
	switch opts.Backend {
	case Default, Epoll:
		return newEpoll(opts)
	case IOURing:
		return newURing(opts)
	}
	return nil, unsupported(opts.Backend, "unknown on linux")
}

func newEpoll(opts Options) (Poller, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("epoll_create1", err)
	}
	wakefd, err := newEventfd()
	if err != nil {
		unix.Close(epfd)
		return nil, err
	}
	p := &epoll{epfd: epfd, wakefd: wakefd, events: make([]unix.EpollEvent, 256)}
	if opts.EdgeTriggered {
		p.edge = unix.EPOLLET
	}
	if d := min(max(opts.RawWait, 0), MaxRawWait); d > 0 && epollPwait2Works(epfd) {
		p.rawWait, p.runnable = d, sched.NewProbe()
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(wakefd)}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, wakefd, &ev); err != nil {
		unix.Close(wakefd)
		unix.Close(epfd)
		return nil, os.NewSyscallError("epoll_ctl", err)
	}
	return p, nil
}

func (p *epoll) mask(interest Event) uint32 {
	m := p.edge
	if interest&Readable != 0 {
		m |= unix.EPOLLIN
	}
	if interest&Writable != 0 {
		m |= unix.EPOLLOUT
	}
	return m
}

// ctl is epoll_ctl(2) as a raw call: it never waits, so the scheduler's
// bookkeeping around it buys nothing.
func (p *epoll) ctl(op, fd int, interest Event) error {
	ev := unix.EpollEvent{Events: p.mask(interest), Fd: int32(fd)}
	if err := rawsys.EpollCtl(p.epfd, op, fd, &ev); err != nil {
		return os.NewSyscallError("epoll_ctl", err)
	}
	return nil
}

func (p *epoll) Add(fd int, interest Event) error {
	return p.ctl(unix.EPOLL_CTL_ADD, fd, interest)
}

func (p *epoll) Modify(fd int, interest Event) error {
	return p.ctl(unix.EPOLL_CTL_MOD, fd, interest)
}

// forgetsOnClose: closing the last descriptor of a socket takes it out of
// every epoll interest list (epoll(7)).
func (p *epoll) forgetsOnClose() bool { return true }

func (p *epoll) Delete(fd int) error {
	if err := rawsys.EpollCtl(p.epfd, unix.EPOLL_CTL_DEL, fd, nil); err != nil {
		return os.NewSyscallError("epoll_ctl", err)
	}
	return nil
}

func (p *epoll) Wait(ready []Ready, timeout time.Duration) (int, error) {
	max := min(len(ready), len(p.events))
	if max == 0 {
		return 0, nil
	}
	msec := waitMillis(timeout)
	if p.woken.Load() {
		msec = 0
	}
	var n int
	var err error
	switch {
	case msec == 0:
		n, err = epollPoll(p.epfd, p.events[:max])
	case p.rawWait > 0 && !p.runnable.Waiting():
		n, err = p.waitRawFirst(p.events[:max], timeout)
	default:
		n, err = unix.EpollWait(p.epfd, p.events[:max], msec)
	}
	if err == unix.EINTR {
		return 0, nil
	}
	if err != nil {
		return 0, os.NewSyscallError("epoll_wait", err)
	}
	filled := 0
	for _, ev := range p.events[:n] {
		fd := int(ev.Fd)
		if fd == p.wakefd {
			p.drainWake()
			continue
		}
		ready[filled] = Ready{Fd: fd, Events: fromEpoll(ev.Events)}
		filled++
	}
	return filled, nil
}

// waitRawFirst waits up to rawWait in a raw epoll_pwait2, unseen by the
// scheduler (see Options.RawWait), then, with nothing ready, for what is
// left of timeout in an ordinary epoll_wait: a Wait never ends before its
// timeout.
func (p *epoll) waitRawFirst(events []unix.EpollEvent, timeout time.Duration) (int, error) {
	start := time.Now()
	p.rawLimit = unix.NsecToTimespec(int64(rawPart(p.rawWait, timeout)))
	r, _, errno := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT2, uintptr(p.epfd),
		uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), uintptr(unsafe.Pointer(&p.rawLimit)), 0, 0)
	switch {
	case errno == unix.EINTR: // a signal ended the raw part: wait on
	case errno != 0:
		return 0, errno
	case r > 0:
		return int(r), nil
	}
	timeout, ok := leftAfterRaw(timeout, start)
	if !ok {
		return 0, nil
	}
	return unix.EpollWait(p.epfd, events, waitMillis(timeout))
}

func (p *epoll) waitsRaw() bool { return p.rawWait > 0 }

// epollPwait2Works reports whether the kernel has epoll_pwait2 (Linux
// 5.11), which the raw part of a Wait needs for its sub-millisecond timeout.
func epollPwait2Works(epfd int) bool {
	var ts unix.Timespec
	var ev [1]unix.EpollEvent
	_, _, errno := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT2, uintptr(epfd),
		uintptr(unsafe.Pointer(&ev[0])), 1, uintptr(unsafe.Pointer(&ts)), 0, 0)
	return errno == 0
}

// epollPoll is epoll_wait with a zero timeout as a raw system call: it
// cannot block, so the scheduler's entersyscall / exitsyscall, a fifth of a
// short call's cost, buys nothing. A busy loop makes one such call per turn.
// epoll_pwait with no signal mask is epoll_wait on every architecture,
// including those (arm64, riscv64) that lack the older call.
func epollPoll(epfd int, events []unix.EpollEvent) (int, error) {
	r, _, errno := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(epfd),
		uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), 0, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}

func fromEpoll(m uint32) Event {
	var e Event
	if m&(unix.EPOLLIN|unix.EPOLLPRI) != 0 {
		e |= Readable
	}
	if m&unix.EPOLLOUT != 0 {
		e |= Writable
	}
	if m&unix.EPOLLHUP != 0 {
		e |= Hangup
	}
	if m&unix.EPOLLERR != 0 {
		e |= Error
	}
	return e
}

func (p *epoll) drainWake() {
	// Clear the flag before reading so that a Wake racing with us is not lost:
	// it either lands in the counter we are about to read or re-arms the flag.
	p.woken.Store(false)
	unix.Read(p.wakefd, p.wakeBuf[:])
}

func (p *epoll) Wake() error {
	if p.woken.Swap(true) {
		return nil
	}
	return signalEventfd(p.wakefd)
}

func (p *epoll) Close() error {
	err1 := unix.Close(p.wakefd)
	err2 := unix.Close(p.epfd)
	if err1 != nil {
		return os.NewSyscallError("close", err1)
	}
	if err2 != nil {
		return os.NewSyscallError("close", err2)
	}
	return nil
}
