//go:build linux

package bench

import (
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/internal/rawsys"
	"github.com/sockloop/sockloop/poller"
)

// The load generators' sockets are non-blocking, so their reads and writes
// are raw system calls, and they poll before they block: a generator that
// entered the scheduler for every call and blocked in epoll_wait after
// every batch kept the Go runtime's sysmon waking every 20 µs to retake its
// P (8.5% of a pinned echo client's CPU samples, on whichever CPU sysmon
// ran: the server's too), and so measured itself more than the server.

// readNow reads once from a non-blocking socket, again after EINTR; it
// returns -1 and no error when nothing is there yet (EAGAIN).
func readNow(fd int, b []byte) (int, error) {
	for {
		n, err := rawsys.Read(fd, b)
		switch err {
		case nil:
			return n, nil
		case unix.EINTR:
		case unix.EAGAIN:
			return -1, nil
		default:
			return 0, os.NewSyscallError("read", err)
		}
	}
}

// writeNow writes once to a non-blocking socket, again after EINTR; it
// returns 0 and no error when the socket is full (EAGAIN).
func writeNow(fd int, b []byte) (int, error) {
	for {
		n, err := rawsys.Write(fd, b)
		switch err {
		case nil:
			return n, nil
		case unix.EINTR:
		case unix.EAGAIN:
			return 0, nil
		default:
			return 0, os.NewSyscallError("write", err)
		}
	}
}

// connectError returns why the non-blocking connect on fd failed, once it
// reported writable, or nil if it succeeded.
func connectError(fd int) error {
	soerr, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
	if err == nil && soerr != 0 {
		err = unix.Errno(soerr)
	}
	if err != nil {
		return os.NewSyscallError("connect", err)
	}
	return nil
}

// waitReady fills ready from p, looking without blocking first (a raw
// call on epoll) and blocking for up to timeout only when nothing is ready.
func waitReady(p poller.Poller, ready []poller.Ready, timeout time.Duration) (int, error) {
	if k, err := p.Wait(ready, 0); k > 0 || err != nil {
		return k, err
	}
	return p.Wait(ready, timeout)
}
