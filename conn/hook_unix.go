//go:build unix

package conn

import "golang.org/x/sys/unix"

// hooks replaces system calls of one Socket so tests can inject faults
// (EINTR, short writes) without sleeps or signals.
type hooks struct {
	sendmsgN func(fd int, p, oob []byte, to unix.Sockaddr, flags int) (int, error)
	sendfile func(outfd, infd int, offset *int64, count int) (int, error)
}

// sendmsgN wraps sendmsg(2) for one buffer, through the test hook if set.
func (s *Socket) sendmsgN(fd int, p, oob []byte, to unix.Sockaddr, flags int) (int, error) {
	if s.hooks != nil && s.hooks.sendmsgN != nil {
		return s.hooks.sendmsgN(fd, p, oob, to, flags)
	}
	return unix.SendmsgN(fd, p, oob, to, flags)
}
