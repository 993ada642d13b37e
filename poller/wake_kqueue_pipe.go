//go:build netbsd || openbsd

package poller

import (
	"os"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// kqueueWaker wakes a kqueue through a non-blocking pipe on the systems
// whose kqueue has no EVFILT_USER.
type kqueueWaker struct {
	r, w  int
	woken atomic.Bool
	buf   [64]byte
}

func (k *kqueueWaker) init(kq int) error {
	var fds [2]int
	if err := unix.Pipe2(fds[:], unix.O_NONBLOCK|unix.O_CLOEXEC); err != nil {
		return os.NewSyscallError("pipe2", err)
	}
	k.r, k.w = fds[0], fds[1]
	var ev [1]unix.Kevent_t
	unix.SetKevent(&ev[0], k.r, unix.EVFILT_READ, unix.EV_ADD)
	if _, err := unix.Kevent(kq, ev[:], nil, nil); err != nil {
		k.close()
		return os.NewSyscallError("kevent", err)
	}
	return nil
}

func (k *kqueueWaker) owns(ev *unix.Kevent_t) bool {
	return int(ev.Filter) == unix.EVFILT_READ && int(ev.Ident) == k.r
}

func (k *kqueueWaker) drain() {
	k.woken.Store(false)
	for {
		if n, _ := unix.Read(k.r, k.buf[:]); n < len(k.buf) {
			return
		}
	}
}

func (k *kqueueWaker) wake(int) error {
	if k.woken.Swap(true) {
		return nil
	}
	if _, err := unix.Write(k.w, []byte{0}); err != nil && err != unix.EAGAIN {
		return os.NewSyscallError("write", err)
	}
	return nil
}

func (k *kqueueWaker) close() {
	unix.Close(k.r)
	unix.Close(k.w)
}
