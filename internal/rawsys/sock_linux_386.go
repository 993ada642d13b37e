package rawsys

import "golang.org/x/sys/unix"

// On 386 the socket calls go through x/sys, which multiplexes them over
// socketcall(2) for kernels older than 4.3 that lack the direct calls.

// Socket is socket(2).
func Socket(family, sotype, proto int) (int, error) { return unix.Socket(family, sotype, proto) }

// Getpeername is getpeername(2).
func Getpeername(fd int) (unix.Sockaddr, error) { return unix.Getpeername(fd) }

// Accept4 is accept4(2).
func Accept4(fd, flags int) (int, unix.Sockaddr, error) { return unix.Accept4(fd, flags) }

// Connect is connect(2).
func Connect(fd int, sa unix.Sockaddr) error { return unix.Connect(fd, sa) }

// Shutdown is shutdown(2).
func Shutdown(fd, how int) error { return unix.Shutdown(fd, how) }

// SetsockoptInt is setsockopt(2) of a C int.
func SetsockoptInt(fd, level, opt, value int) error { return unix.SetsockoptInt(fd, level, opt, value) }

// SocketError is getsockopt(2) of SO_ERROR.
func SocketError(fd int) (unix.Errno, error) {
	v, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
	return unix.Errno(v), err
}

// EpollCtl is epoll_ctl(2); ev may be nil for EPOLL_CTL_DEL.
func EpollCtl(epfd, op, fd int, ev *unix.EpollEvent) error { return unix.EpollCtl(epfd, op, fd, ev) }
