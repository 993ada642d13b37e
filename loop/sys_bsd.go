//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package loop

import (
	"os"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/sockopt"
)

func sysRead(fd int, b []byte) (int, error) { return unix.Read(fd, b) }

func sysWritev(fd int, bufs [][]byte, oob []byte, _ []unix.Iovec) (int, error) {
	if len(oob) > 0 {
		return unix.SendmsgBuffers(fd, bufs, oob, nil, 0)
	}
	return writevBSD(fd, bufs)
}

// socketNonblock finishes a socket made without SOCK_NONBLOCK / SOCK_CLOEXEC.
func socketNonblock(fd int, err error, call string) (int, error) {
	if err != nil {
		return -1, os.NewSyscallError(call, err)
	}
	unix.CloseOnExec(fd)
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return -1, os.NewSyscallError("fcntl", err)
	}
	return fd, nil
}

// acceptNonblock is accept(2) for the systems without accept4(2).
func acceptNonblock(fd int) (int, unix.Sockaddr, error) {
	nfd, sa, err := unix.Accept(fd)
	if err != nil {
		return -1, nil, err
	}
	unix.CloseOnExec(nfd)
	if err := unix.SetNonblock(nfd, true); err != nil {
		unix.Close(nfd)
		return -1, nil, err
	}
	return nfd, sa, nil
}

func sysConnect(fd int, sa sockaddr) error      { return unix.Connect(fd, sa) }
func getpeername(fd int) (sockaddr, error)      { return unix.Getpeername(fd) }
func shutdownWrite(fd int) error                { return unix.Shutdown(fd, unix.SHUT_WR) }
func setNoDelay(fd int) error                   { return sockopt.SetNoDelay(fd, true) }
func sysSocketError(fd int) (unix.Errno, error) { return sockopt.SocketError(fd) }
