//go:build darwin || dragonfly || freebsd

package poller

import (
	"os"

	"golang.org/x/sys/unix"
)

// kqueueWaker wakes a kqueue with an EVFILT_USER event, which needs no
// descriptor of its own.
type kqueueWaker struct{}

const wakeIdent = 0

func (kqueueWaker) init(kq int) error {
	var ev [1]unix.Kevent_t
	unix.SetKevent(&ev[0], wakeIdent, unix.EVFILT_USER, unix.EV_ADD|unix.EV_CLEAR)
	if _, err := unix.Kevent(kq, ev[:], nil, nil); err != nil {
		return os.NewSyscallError("kevent", err)
	}
	return nil
}

func (kqueueWaker) owns(ev *unix.Kevent_t) bool {
	return int(ev.Filter) == unix.EVFILT_USER && ev.Ident == wakeIdent
}

func (kqueueWaker) drain() {}

func (kqueueWaker) wake(kq int) error {
	var ev [1]unix.Kevent_t
	unix.SetKevent(&ev[0], wakeIdent, unix.EVFILT_USER, 0)
	ev[0].Fflags = unix.NOTE_TRIGGER
	for {
		_, err := unix.Kevent(kq, ev[:], nil, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return os.NewSyscallError("kevent", err)
		}
		return nil
	}
}

func (kqueueWaker) close() {}
