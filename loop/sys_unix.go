//go:build unix

package loop

import (
	"os"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/sockopt"
)

// The socket calls the loop's portable files make, for the systems where a
// socket is a descriptor and x/sys/unix describes its addresses; sys_windows.go
// has the same names on Winsock.

type (
	sockaddr      = unix.Sockaddr
	sockaddrInet4 = unix.SockaddrInet4
	sockaddrInet6 = unix.SockaddrInet6
	sockaddrUnix  = unix.SockaddrUnix
	iovec         = unix.Iovec // scratch of a gather write
)

const (
	afInet     = unix.AF_INET
	afInet6    = unix.AF_INET6
	afUnix     = unix.AF_UNIX
	sockStream = unix.SOCK_STREAM
	sockDgram  = unix.SOCK_DGRAM
)

func sysClose(fd int) error                { return unix.Close(fd) }
func getsockname(fd int) (sockaddr, error) { return unix.Getsockname(fd) }
func sysBind(fd int, sa sockaddr) error    { return unix.Bind(fd, sa) }
func sysListen(fd, backlog int) error      { return unix.Listen(fd, backlog) }
func socketType(fd int) (int, error)       { return sockopt.Type(fd) }
func enablePacketInfo4(fd int)             { sockopt.SetRecvPacketInfo4(fd, true) }
func enablePacketInfo6(fd int)             { sockopt.SetRecvPacketInfo6(fd, true) }
func isUnixAddr(sa sockaddr) bool          { _, ok := sa.(*unix.SockaddrUnix); return ok }
func setCloseOnExec(fd int)                { unix.CloseOnExec(fd) }
func setReusePort(fd int) error            { return sockopt.SetInt(fd, unix.SOL_SOCKET, reusePortOption, 1) }
func setReuseAddr(fd int) error            { return sockopt.SetReuseAddr(fd, true) }
func setV6Only(fd int, on bool) error      { return sockopt.SetV6Only(fd, on) }
func setNoSigpipe(fd int) error            { return sockopt.SetNoSigpipe(fd, true) }

// setAbortOnClose makes the socket's close send a reset (SO_LINGER with a
// zero timeout), so that a peer never reads a clean end after lost bytes.
func setAbortOnClose(fd int) error { return sockopt.SetLinger(fd, true, 0) }

// socketError returns the socket's pending error (SO_ERROR), nil if none.
func socketError(fd int) error {
	errno, err := sysSocketError(fd)
	if err != nil {
		return err
	}
	if errno != 0 {
		return os.NewSyscallError("connect", errno)
	}
	return nil
}

// setNonblock puts an adopted socket in non-blocking mode.
func setNonblock(fd int) error {
	if err := unix.SetNonblock(fd, true); err != nil {
		return os.NewSyscallError("fcntl", err)
	}
	return nil
}

// dupFD duplicates the descriptor of a socket package net owns (AdoptConn).
func dupFD(fd uintptr) (int, error) {
	dup, err := unix.FcntlInt(fd, unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return -1, os.NewSyscallError("fcntl", err)
	}
	return dup, nil
}
