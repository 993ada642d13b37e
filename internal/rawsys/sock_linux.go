//go:build !386

package rawsys

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// Socket is socket(2).
func Socket(family, sotype, proto int) (int, error) {
	r, _, errno := unix.RawSyscall(unix.SYS_SOCKET, uintptr(family), uintptr(sotype), uintptr(proto))
	if errno != 0 {
		return -1, errno
	}
	return int(r), nil
}

// Accept4 is accept4(2) with the peer's address decoded here: x/sys's
// Accept4 asks the socket for its protocol (one more system call) for
// every IPv4 and IPv6 address it decodes.
func Accept4(fd, flags int) (int, unix.Sockaddr, error) {
	var rsa unix.RawSockaddrAny
	n := uint32(unsafe.Sizeof(rsa))
	r, _, errno := unix.RawSyscall6(unix.SYS_ACCEPT4, uintptr(fd), uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&n)), uintptr(flags), 0, 0)
	if errno != 0 {
		return -1, nil, errno
	}
	nfd := int(r)
	if sa := decode(&rsa, n); sa != nil {
		return nfd, sa, nil
	}
	sa, err := unix.Getpeername(nfd) // another family: x/sys knows it
	if err != nil {
		unix.Close(nfd)
		return -1, nil, err
	}
	return nfd, sa, nil
}

// Getpeername is getpeername(2), with the address decoded as Accept4 does.
func Getpeername(fd int) (unix.Sockaddr, error) {
	var rsa unix.RawSockaddrAny
	n := uint32(unsafe.Sizeof(rsa))
	if _, _, errno := unix.RawSyscall(unix.SYS_GETPEERNAME, uintptr(fd), uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&n))); errno != 0 {
		return nil, errno
	}
	if sa := decode(&rsa, n); sa != nil {
		return sa, nil
	}
	return unix.Getpeername(fd) // another family: x/sys knows it
}

// decode turns an IPv4, IPv6 or Unix address the kernel wrote (n bytes of
// rsa) into a unix.Sockaddr, or nil for another family.
func decode(rsa *unix.RawSockaddrAny, n uint32) unix.Sockaddr {
	switch rsa.Addr.Family {
	case unix.AF_INET:
		raw := (*unix.RawSockaddrInet4)(unsafe.Pointer(rsa))
		return &unix.SockaddrInet4{Port: port(&raw.Port), Addr: raw.Addr}
	case unix.AF_INET6:
		raw := (*unix.RawSockaddrInet6)(unsafe.Pointer(rsa))
		return &unix.SockaddrInet6{Port: port(&raw.Port), ZoneId: raw.Scope_id, Addr: raw.Addr}
	case unix.AF_UNIX:
		raw := (*unix.RawSockaddrUnix)(unsafe.Pointer(rsa))
		size := int(n) - int(unsafe.Offsetof(raw.Path))
		if size <= 0 {
			// Unnamed: "@", as x/sys (and so the rest of the loop) has
			// always reported it.
			return &unix.SockaddrUnix{Name: "@"}
		}
		path := unsafe.Slice((*byte)(unsafe.Pointer(&raw.Path[0])), min(size, len(raw.Path)))
		if path[0] == 0 {
			return &unix.SockaddrUnix{Name: "@" + string(path[1:])} // abstract
		}
		for i, b := range path {
			if b == 0 {
				path = path[:i]
				break
			}
		}
		return &unix.SockaddrUnix{Name: string(path)}
	}
	return nil
}

// port reads a port stored in network byte order.
func port(p *uint16) int {
	b := (*[2]byte)(unsafe.Pointer(p))
	return int(b[0])<<8 | int(b[1])
}

// setPort stores a port in network byte order.
func setPort(p *uint16, port int) {
	b := (*[2]byte)(unsafe.Pointer(p))
	b[0], b[1] = byte(port>>8), byte(port)
}

// Connect is connect(2) to an IPv4 or IPv6 address; other families go
// through x/sys, which encodes them.
func Connect(fd int, sa unix.Sockaddr) error {
	var ptr unsafe.Pointer
	var size uintptr
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		raw := unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: a.Addr}
		setPort(&raw.Port, a.Port)
		ptr, size = unsafe.Pointer(&raw), unsafe.Sizeof(raw)
	case *unix.SockaddrInet6:
		raw := unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: a.Addr, Scope_id: a.ZoneId}
		setPort(&raw.Port, a.Port)
		ptr, size = unsafe.Pointer(&raw), unsafe.Sizeof(raw)
	default:
		return unix.Connect(fd, sa)
	}
	if _, _, errno := unix.RawSyscall(unix.SYS_CONNECT, uintptr(fd), uintptr(ptr), size); errno != 0 {
		return errno
	}
	return nil
}

// Shutdown is shutdown(2).
func Shutdown(fd, how int) error {
	if _, _, errno := unix.RawSyscall(unix.SYS_SHUTDOWN, uintptr(fd), uintptr(how), 0); errno != 0 {
		return errno
	}
	return nil
}

// SetsockoptInt is setsockopt(2) of a C int.
func SetsockoptInt(fd, level, opt, value int) error {
	v := int32(value)
	if _, _, errno := unix.RawSyscall6(unix.SYS_SETSOCKOPT, uintptr(fd), uintptr(level), uintptr(opt), uintptr(unsafe.Pointer(&v)), unsafe.Sizeof(v), 0); errno != 0 {
		return errno
	}
	return nil
}

// SocketError is getsockopt(2) of SO_ERROR: the socket's pending error,
// which the call clears.
func SocketError(fd int) (unix.Errno, error) {
	var v int32
	size := uint32(unsafe.Sizeof(v))
	if _, _, errno := unix.RawSyscall6(unix.SYS_GETSOCKOPT, uintptr(fd), unix.SOL_SOCKET, unix.SO_ERROR, uintptr(unsafe.Pointer(&v)), uintptr(unsafe.Pointer(&size)), 0); errno != 0 {
		return 0, errno
	}
	return unix.Errno(v), nil
}

// EpollCtl is epoll_ctl(2); ev may be nil for EPOLL_CTL_DEL.
func EpollCtl(epfd, op, fd int, ev *unix.EpollEvent) error {
	if _, _, errno := unix.RawSyscall6(unix.SYS_EPOLL_CTL, uintptr(epfd), uintptr(op), uintptr(fd), uintptr(unsafe.Pointer(ev)), 0, 0); errno != 0 {
		return errno
	}
	return nil
}
