//go:build unix

package conn

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// flowSockaddr returns the raw sockaddr_in6 for addr when it carries a flow
// label, which x/sys's SockaddrInet6 cannot express; nil otherwise. sa is
// addr already encoded.
func flowSockaddr(addr Addr, sa unix.Sockaddr) *unix.RawSockaddrInet6 {
	a, ok := addr.(Inet6Addr)
	s6, ok6 := sa.(*unix.SockaddrInet6)
	if !ok || !ok6 || a.FlowInfo == 0 {
		return nil
	}
	var raw unix.RawSockaddrInet6
	setFamily6(&raw)
	port := (*[2]byte)(unsafe.Pointer(&raw.Port))
	port[0], port[1] = byte(s6.Port>>8), byte(s6.Port)
	raw.Flowinfo = Htonl(a.FlowInfo)
	raw.Addr = s6.Addr
	raw.Scope_id = s6.ZoneId
	return &raw
}

// rawBind wraps bind(2) with a raw sockaddr_in6.
func rawBind(fd int, raw *unix.RawSockaddrInet6) error {
	_, _, e := unix.Syscall(unix.SYS_BIND, uintptr(fd), uintptr(unsafe.Pointer(raw)), unix.SizeofSockaddrInet6)
	return errnoErr(e)
}

// rawConnect wraps connect(2) with a raw sockaddr_in6.
func rawConnect(fd int, raw *unix.RawSockaddrInet6) error {
	_, _, e := unix.Syscall(unix.SYS_CONNECT, uintptr(fd), uintptr(unsafe.Pointer(raw)), unix.SizeofSockaddrInet6)
	return errnoErr(e)
}

// rawSendmsg wraps sendmsg(2) with the caller's buffers as iovecs and a raw
// sockaddr_in6 destination.
func rawSendmsg(fd int, bufs [][]byte, oob []byte, raw *unix.RawSockaddrInet6, flags int) (int, error) {
	iov := make([]unix.Iovec, 0, len(bufs))
	for _, b := range bufs {
		if len(b) > 0 {
			v := unix.Iovec{Base: &b[0]}
			v.SetLen(len(b))
			iov = append(iov, v)
		}
	}
	var msg unix.Msghdr
	msg.Name = (*byte)(unsafe.Pointer(raw))
	msg.Namelen = unix.SizeofSockaddrInet6
	if len(iov) > 0 {
		msg.Iov = &iov[0]
		msg.SetIovlen(len(iov))
	}
	if len(oob) > 0 {
		msg.Control = &oob[0]
		msg.SetControllen(len(oob))
	}
	n, _, e := unix.Syscall(unix.SYS_SENDMSG, uintptr(fd), uintptr(unsafe.Pointer(&msg)), uintptr(flags))
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}

func errnoErr(e unix.Errno) error {
	if e != 0 {
		return e
	}
	return nil
}
