//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poller

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// kqueue is the BSD and darwin backend. Read and write interest are two
// filters there, so Modify sends both changes in one kevent call.
type kqueue struct {
	kq      int
	flags   int // EV_CLEAR when edge-triggered
	events  []unix.Kevent_t
	changes [2]unix.Kevent_t
	waker   kqueueWaker
}

func newPoller(opts Options) (Poller, error) {
	if opts.Backend != Default && opts.Backend != "kqueue" {
		return nil, unsupported(opts.Backend, "this system has kqueue")
	}
	kq, err := unix.Kqueue()
	if err != nil {
		return nil, os.NewSyscallError("kqueue", err)
	}
	unix.CloseOnExec(kq)
	p := &kqueue{kq: kq, events: make([]unix.Kevent_t, 256)}
	if opts.EdgeTriggered {
		p.flags = unix.EV_CLEAR
	}
	if err := p.waker.init(kq); err != nil {
		unix.Close(kq)
		return nil, err
	}
	return p, nil
}

func (p *kqueue) apply(fd int, interest Event) error {
	readFlags, writeFlags := unix.EV_ADD|unix.EV_DISABLE, unix.EV_ADD|unix.EV_DISABLE
	if interest&Readable != 0 {
		readFlags = unix.EV_ADD | unix.EV_ENABLE | p.flags
	}
	if interest&Writable != 0 {
		writeFlags = unix.EV_ADD | unix.EV_ENABLE | p.flags
	}
	unix.SetKevent(&p.changes[0], fd, unix.EVFILT_READ, readFlags)
	unix.SetKevent(&p.changes[1], fd, unix.EVFILT_WRITE, writeFlags)
	for {
		_, err := unix.Kevent(p.kq, p.changes[:], nil, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return os.NewSyscallError("kevent", err)
		}
		return nil
	}
}

func (p *kqueue) Add(fd int, interest Event) error    { return p.apply(fd, interest) }
func (p *kqueue) Modify(fd int, interest Event) error { return p.apply(fd, interest) }

func (p *kqueue) Delete(fd int) error {
	unix.SetKevent(&p.changes[0], fd, unix.EVFILT_READ, unix.EV_DELETE)
	unix.SetKevent(&p.changes[1], fd, unix.EVFILT_WRITE, unix.EV_DELETE)
	// apply always adds both filters (disabled when not wanted), so both
	// deletions find their filter.
	if _, err := unix.Kevent(p.kq, p.changes[:], nil, nil); err != nil {
		return os.NewSyscallError("kevent", err)
	}
	return nil
}

func (p *kqueue) Wait(ready []Ready, timeout time.Duration) (int, error) {
	max := min(len(ready), len(p.events))
	if max == 0 {
		return 0, nil
	}
	var ts *unix.Timespec
	if timeout >= 0 {
		t := unix.NsecToTimespec(int64(timeout))
		ts = &t
	}
	n, err := unix.Kevent(p.kq, nil, p.events[:max], ts)
	if err == unix.EINTR {
		return 0, nil
	}
	if err != nil {
		return 0, os.NewSyscallError("kevent", err)
	}
	filled := 0
	for i := range p.events[:n] {
		ev := &p.events[i]
		if p.waker.owns(ev) {
			p.waker.drain()
			continue
		}
		var e Event
		switch int(ev.Filter) {
		case unix.EVFILT_READ:
			e = Readable
		case unix.EVFILT_WRITE:
			e = Writable
		}
		if ev.Flags&unix.EV_EOF != 0 {
			e |= Hangup
		}
		if ev.Flags&unix.EV_ERROR != 0 {
			e |= Error
		}
		fd := int(ev.Ident)
		// Read and write readiness of one fd arrive as two events; merge
		// neighbours so the loop handles the fd once.
		if filled > 0 && ready[filled-1].Fd == fd {
			ready[filled-1].Events |= e
			continue
		}
		ready[filled] = Ready{Fd: fd, Events: e}
		filled++
	}
	return filled, nil
}

func (p *kqueue) Wake() error { return p.waker.wake(p.kq) }

func (p *kqueue) Close() error {
	p.waker.close()
	if err := unix.Close(p.kq); err != nil {
		return os.NewSyscallError("close", err)
	}
	return nil
}
