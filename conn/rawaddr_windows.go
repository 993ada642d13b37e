package conn

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// encodeRaw writes sa into rsa for WSASendTo and returns its length. The
// x/sys wrapper converts its own, smaller, sockaddr to a RawSockaddrAny
// pointer, which the race detector's checkptr rejects; a RawSockaddrAny
// owned here (kept in the ioOp while an overlapped send is pending) avoids
// that.
func encodeRaw(sa windows.Sockaddr, rsa *windows.RawSockaddrAny) (int32, error) {
	*rsa = windows.RawSockaddrAny{}
	switch sa := sa.(type) {
	case *windows.SockaddrInet4:
		r := (*windows.RawSockaddrInet4)(unsafe.Pointer(rsa))
		r.Family = windows.AF_INET
		r.Port = netPort(sa.Port)
		r.Addr = sa.Addr
		return int32(unsafe.Sizeof(*r)), nil
	case *windows.SockaddrInet6:
		r := (*windows.RawSockaddrInet6)(unsafe.Pointer(rsa))
		r.Family = windows.AF_INET6
		r.Port = netPort(sa.Port)
		r.Addr = sa.Addr
		r.Scope_id = sa.ZoneId
		return int32(unsafe.Sizeof(*r)), nil
	case *windows.SockaddrUnix:
		// x/sys's spelling, as its Bind and Connect read it: a leading
		// '@' is the NUL of an abstract name, which has no NUL after it.
		r := (*windows.RawSockaddrUnix)(unsafe.Pointer(rsa))
		n := len(sa.Name)
		abstract := n > 0 && sa.Name[0] == '@'
		if n > len(r.Path) || n == len(r.Path) && !abstract {
			return 0, windows.WSAEINVAL
		}
		r.Family = windows.AF_UNIX
		for i := 0; i < n; i++ {
			r.Path[i] = int8(sa.Name[i])
		}
		if abstract {
			r.Path[0] = 0
			return int32(unsafe.Sizeof(r.Family)) + int32(n), nil
		}
		return int32(unsafe.Sizeof(r.Family)) + int32(n) + 1, nil
	}
	return 0, windows.WSAEAFNOSUPPORT
}

// netPort puts a port in network byte order.
func netPort(port int) uint16 { return uint16(port>>8) | uint16(port)<<8 }
