package loop

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/internal/rawsys"
)

// reusePortOption is the option that spreads connections across sockets
// bound to one port; 0 where the OS has none that balances.
const reusePortOption = unix.SO_REUSEPORT

// needNoSigpipe: writes pass MSG_NOSIGNAL.
const needNoSigpipe = false

// connectFailuresPolled: a failed connect sets the socket's error, which
// epoll reports as EPOLLERR (connectResult).
const connectFailuresPolled = true

// acceptInheritsNoDelay: an accepted socket has its listener's TCP_NODELAY
// (presetNoDelay).
const acceptInheritsNoDelay = true

// The loop's calls on its sockets are raw system calls: its sockets are
// non-blocking, so a call never waits, and skipping the scheduler's
// entersyscall / exitsyscall saves about a fifth of what a short call
// costs (and the wake-ups of sysmon that each such call risks, 5-6% of a
// proxy's samples under connection churn). Calls that may wait
// (epoll_wait, io_uring_enter, sendfile from a file, close with a linger)
// stay ordinary system calls.

func sysSocket(family, sotype int) (int, error) {
	fd, err := rawsys.Socket(family, sotype|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, os.NewSyscallError("socket", err)
	}
	return fd, nil
}

func sysAccept(fd int) (int, unix.Sockaddr, error) {
	return rawsys.Accept4(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
}

func sysConnect(fd int, sa sockaddr) error      { return rawsys.Connect(fd, sa) }
func getpeername(fd int) (sockaddr, error)      { return rawsys.Getpeername(fd) }
func shutdownWrite(fd int) error                { return rawsys.Shutdown(fd, unix.SHUT_WR) }
func sysSocketError(fd int) (unix.Errno, error) { return rawsys.SocketError(fd) }
func setNoDelay(fd int) error {
	return rawsys.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
}

// sysRead is read(2) on a non-blocking socket.
func sysRead(fd int, b []byte) (int, error) { return rawsys.Read(fd, b) }

// sysWritev gathers bufs, with the control data oob if not nil, into one
// sendmsg; MSG_NOSIGNAL turns a write to a reset peer into EPIPE instead of
// SIGPIPE. iov is scratch space owned by the loop so that the call does not
// allocate. A single slice without control data goes out with send(2)
// instead, which the kernel serves without copying in a msghdr and an iovec
// array: that set-up was 2% of a ping-pong echo server's CPU.
func sysWritev(fd int, bufs [][]byte, oob []byte, iov []unix.Iovec) (int, error) {
	if len(bufs) == 1 && len(oob) == 0 {
		return sysSend(fd, bufs[0])
	}
	n := 0
	for _, b := range bufs {
		if n == len(iov) {
			break
		}
		iov[n].Base = &b[0]
		iov[n].SetLen(len(b))
		n++
	}
	var msg unix.Msghdr
	msg.Iov = &iov[0]
	msg.SetIovlen(n)
	if len(oob) > 0 {
		msg.Control = &oob[0]
		msg.SetControllen(len(oob))
	}
	r, _, errno := unix.RawSyscall(unix.SYS_SENDMSG, uintptr(fd), uintptr(unsafe.Pointer(&msg)), unix.MSG_NOSIGNAL|unix.MSG_DONTWAIT)
	clear(iov[:n]) // do not keep the caller's memory reachable
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}

// sysSendfile sends up to count bytes of the file infd from *off with
// sendfile(2), advancing *off.
func sysSendfile(fd, infd int, off *int64, count int, _ []byte) (int, error) {
	return unix.Sendfile(fd, infd, off, count)
}

// sysSend is send(2) of one slice, with MSG_NOSIGNAL as in sysWritev.
func sysSend(fd int, b []byte) (int, error) {
	return rawsys.Send(fd, b, unix.MSG_NOSIGNAL|unix.MSG_DONTWAIT)
}
