//go:build unix && !linux

package conn

import (
	"os"
	"syscall"

	"github.com/sockloop/sockloop/sockopt"
	"golang.org/x/sys/unix"
)

// typeFlags are the bits of a type that are flags, not a kind; none here.
const typeFlags Type = 0

// sendFlags are added to every send; SO_NOSIGPIPE covers SIGPIPE here.
const sendFlags = 0

// sysSocket wraps socket(2), then sets close-on-exec and non-blocking mode
// under syscall.ForkLock.
func sysSocket(family, typ, proto int) (int, error) {
	syscall.ForkLock.RLock()
	fd, err := unix.Socket(family, typ, proto)
	if err == nil {
		unix.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, err
	}
	return fd, prepareFD(fd)
}

// sysSocketpair wraps socketpair(2) like sysSocket.
func sysSocketpair(family, typ, proto int) ([2]int, error) {
	syscall.ForkLock.RLock()
	fds, err := unix.Socketpair(family, typ, proto)
	if err == nil {
		unix.CloseOnExec(fds[0])
		unix.CloseOnExec(fds[1])
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return fds, err
	}
	if err := prepareFD(fds[0]); err != nil {
		unix.Close(fds[1])
		return fds, err
	}
	return fds, prepareFD(fds[1])
}

// sysAccept wraps accept(2), then sets close-on-exec and non-blocking mode.
func sysAccept(fd int, _ Family) (int, Addr, error) {
	syscall.ForkLock.RLock()
	nfd, sa, err := unix.Accept(fd)
	if err == nil {
		unix.CloseOnExec(nfd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, nil, err
	}
	return nfd, decodeAddr(sa), prepareFD(nfd)
}

func prepareFD(fd int) error {
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return err
	}
	noSigpipe(fd)
	return nil
}

// sysDetect reads the type of a socket descriptor and its family from its
// local address; the protocol is reported as 0. Its errors are
// *os.SyscallError values.
func sysDetect(fd int) (Family, Type, Proto, error) {
	t, err := sockopt.Type(fd)
	if err != nil {
		return 0, 0, 0, optCause(err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return 0, 0, 0, os.NewSyscallError("getsockname", err)
	}
	var f Family
	switch sa.(type) {
	case *unix.SockaddrInet4:
		f = AF_INET
	case *unix.SockaddrInet6:
		f = AF_INET6
	case *unix.SockaddrUnix:
		f = AF_UNIX
	}
	return f, Type(t), 0, nil
}

const nonblockFlag Type = 0
const eafnosupport = unix.EAFNOSUPPORT

func closeFD(fd int) error {
	if err := unix.Close(fd); err != nil {
		return &OpError{Op: "close", Err: os.NewSyscallError("close", err)}
	}
	return nil
}

func setFamily6(raw *unix.RawSockaddrInet6) {
	raw.Len = unix.SizeofSockaddrInet6
	raw.Family = unix.AF_INET6
}

func setFamily4(raw *unix.RawSockaddrInet4) {
	raw.Len = unix.SizeofSockaddrInet4
	raw.Family = unix.AF_INET
}

// setFamilyUnix sets the family and length of a sockaddr_un whose sun_path
// holds n bytes, counting the NUL after them as x/sys does, and returns
// the length.
func setFamilyUnix(raw *unix.RawSockaddrUnix, n int) uint32 {
	raw.Len = uint8(3 + n)
	raw.Family = unix.AF_UNIX
	return uint32(raw.Len)
}

// recvNoAddr wraps recvfrom(2) and drops the sender's address.
func recvNoAddr(fd int, p []byte, flags int) (int, error) {
	n, _, err := unix.Recvfrom(fd, p, flags)
	return n, err
}
