package uring

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// SockaddrToRaw writes sa in the kernel's layout into dst and returns its
// length, for PrepConnect; it handles *unix.SockaddrInet4, *unix.SockaddrInet6
// and *unix.SockaddrUnix (path names only) and returns EAFNOSUPPORT otherwise.
func SockaddrToRaw(sa unix.Sockaddr, dst *unix.RawSockaddrAny) (uint32, error) {
	*dst = unix.RawSockaddrAny{}
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		raw := (*unix.RawSockaddrInet4)(unsafe.Pointer(dst))
		raw.Family = unix.AF_INET
		putPort(&raw.Port, sa.Port)
		raw.Addr = sa.Addr
		return unix.SizeofSockaddrInet4, nil
	case *unix.SockaddrInet6:
		raw := (*unix.RawSockaddrInet6)(unsafe.Pointer(dst))
		raw.Family = unix.AF_INET6
		putPort(&raw.Port, sa.Port)
		raw.Scope_id = sa.ZoneId
		raw.Addr = sa.Addr
		return unix.SizeofSockaddrInet6, nil
	case *unix.SockaddrUnix:
		raw := (*unix.RawSockaddrUnix)(unsafe.Pointer(dst))
		if len(sa.Name) >= len(raw.Path) || len(sa.Name) == 0 {
			return 0, unix.EINVAL
		}
		raw.Family = unix.AF_UNIX
		for i := 0; i < len(sa.Name); i++ {
			raw.Path[i] = int8(sa.Name[i])
		}
		return uint32(unsafe.Offsetof(raw.Path)) + uint32(len(sa.Name)) + 1, nil
	}
	return 0, unix.EAFNOSUPPORT
}

// putPort stores port in network byte order.
func putPort(dst *uint16, port int) {
	p := (*[2]byte)(unsafe.Pointer(dst))
	p[0], p[1] = byte(port>>8), byte(port)
}
