//go:build unix

package loop

import "golang.org/x/sys/unix"

// queuedConn reports whether a listening socket has a connection waiting,
// without waiting: another process holding the socket (a handover's) may
// have made its file description blocking, and accept(2) would then block
// the loop.
func queuedConn(fd int) bool {
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, 0)
	return err == nil && n > 0 && fds[0].Revents&unix.POLLIN != 0
}
