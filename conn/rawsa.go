//go:build unix

package conn

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// rawSA is a socket address encoded here rather than by x/sys, for what
// x/sys cannot express: an IPv6 flow label, and on Linux an AF_UNIX name
// byte for byte (x/sys takes a path beginning with '@' as abstract).
type rawSA struct {
	rsa unix.RawSockaddrAny
	len uint32
}

// rawSockaddr returns addr encoded raw where x/sys cannot express it, nil
// otherwise; sa is addr already encoded, and so checked, by sockaddr.
func rawSockaddr(addr Addr, sa unix.Sockaddr) *rawSA {
	switch a := addr.(type) {
	case Inet6Addr:
		if r := rawInet(sa); r != nil && a.FlowInfo != 0 {
			p := (*unix.RawSockaddrInet6)(unsafe.Pointer(&r.rsa))
			p.Flowinfo = Htonl(a.FlowInfo)
			return r
		}
	case UnixAddr:
		return rawUnix(a)
	}
	return nil
}

// rawInet encodes an x/sys AF_INET or AF_INET6 address raw; nil for other
// families.
func rawInet(sa unix.Sockaddr) *rawSA {
	r := new(rawSA)
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		p := (*unix.RawSockaddrInet4)(unsafe.Pointer(&r.rsa))
		setFamily4(p)
		putRawPort(&p.Port, sa.Port)
		p.Addr = sa.Addr
		r.len = unix.SizeofSockaddrInet4
	case *unix.SockaddrInet6:
		p := (*unix.RawSockaddrInet6)(unsafe.Pointer(&r.rsa))
		setFamily6(p)
		putRawPort(&p.Port, sa.Port)
		p.Addr = sa.Addr
		p.Scope_id = sa.ZoneId
		r.len = unix.SizeofSockaddrInet6
	default:
		return nil
	}
	return r
}

// rawUnix encodes a byte for byte: sun_path holds the path, or a NUL and
// the abstract name, and the length counts what is there, as CPython
// passes it. nil if sockaddr refused a.
func rawUnix(a UnixAddr) *rawSA {
	name, err := a.sunPath()
	if err != nil {
		return nil
	}
	r := new(rawSA)
	p := (*unix.RawSockaddrUnix)(unsafe.Pointer(&r.rsa))
	for i := 0; i < len(name); i++ {
		p.Path[i] = int8(name[i])
	}
	r.len = setFamilyUnix(p, len(name))
	return r
}

// rawBind wraps bind(2) with a raw address.
func rawBind(fd int, r *rawSA) error {
	_, _, e := unix.Syscall(unix.SYS_BIND, uintptr(fd), uintptr(unsafe.Pointer(&r.rsa)), uintptr(r.len))
	return errnoErr(e)
}

// rawConnect wraps connect(2) with a raw address.
func rawConnect(fd int, r *rawSA) error {
	_, _, e := unix.Syscall(unix.SYS_CONNECT, uintptr(fd), uintptr(unsafe.Pointer(&r.rsa)), uintptr(r.len))
	return errnoErr(e)
}

// rawSendmsg wraps sendmsg(2) with the caller's buffers as iovecs and a raw
// destination.
func rawSendmsg(fd int, bufs [][]byte, oob []byte, r *rawSA, flags int) (int, error) {
	iov := make([]unix.Iovec, len(bufs))
	var msg unix.Msghdr
	msg.Name = (*byte)(unsafe.Pointer(&r.rsa))
	msg.Namelen = r.len
	if k := fillIovecs(iov, bufs); k > 0 {
		msg.Iov = &iov[0]
		msg.SetIovlen(k)
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
