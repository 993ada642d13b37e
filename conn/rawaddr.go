//go:build unix

package conn

import (
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"
)

// rawFamily reports whether decodeRaw reads addresses of family f; the
// message paths fall back to x/sys for the others.
func rawFamily(f Family) bool { return f == AF_INET || f == AF_INET6 || f == AF_UNIX }

// decodeRaw decodes the sockaddr recvmsg wrote (namelen bytes of rsa) for
// AF_INET, AF_INET6 and AF_UNIX; nil for no address or another family.
func decodeRaw(rsa *unix.RawSockaddrAny, namelen int) Addr {
	if namelen < 2 {
		return nil
	}
	switch int(rsa.Addr.Family) {
	case unix.AF_INET:
		p := (*unix.RawSockaddrInet4)(unsafe.Pointer(rsa))
		return Inet4Addr{IP: netip.AddrFrom4(p.Addr), Port: rawPort(&p.Port)}
	case unix.AF_INET6:
		p := (*unix.RawSockaddrInet6)(unsafe.Pointer(rsa))
		return Inet6Addr{IP: netip.AddrFrom16(p.Addr), Port: rawPort(&p.Port), ScopeID: p.Scope_id}
	case unix.AF_UNIX:
		p := (*unix.RawSockaddrUnix)(unsafe.Pointer(rsa))
		n := min(namelen-2, len(p.Path)) // the path follows a 2-byte prefix
		if n <= 0 {
			return UnixAddr{} // unnamed
		}
		path := unsafe.Slice((*byte)(unsafe.Pointer(&p.Path[0])), n)
		if path[0] == 0 {
			if !abstractNames {
				return UnixAddr{}
			}
			return UnixAddr{Path: string(path[1:]), Abstract: true}
		}
		for i, c := range path {
			if c == 0 {
				path = path[:i]
				break
			}
		}
		return UnixAddr{Path: string(path)}
	}
	return nil
}

// rawPort reads a port stored in network byte order.
func rawPort(p *uint16) int {
	b := (*[2]byte)(unsafe.Pointer(p))
	return int(b[0])<<8 | int(b[1])
}

// rawDest reports whether encodeRaw serves addr as a destination on a
// socket of family f: an Inet4Addr on AF_INET, or an Inet6Addr on AF_INET6
// without a zone name to look up, each valid. Others take x/sys's path,
// which also reports what is wrong with them.
func rawDest(addr Addr, f Family) bool {
	switch a := addr.(type) {
	case Inet4Addr:
		return f == AF_INET && a.IP.Is4() && a.Port >= 0 && a.Port <= 65535
	case Inet6Addr:
		return f == AF_INET6 && a.IP.Is6() && a.Port >= 0 && a.Port <= 65535 && a.FlowInfo <= maxFlowInfo &&
			(a.ScopeID != 0 || a.IP.Zone() == "")
	}
	return false
}

// encodeRaw writes an address rawDest accepted into rsa and returns its
// length, without allocating. An Inet6Addr's FlowInfo goes with it.
func encodeRaw(addr Addr, rsa *unix.RawSockaddrAny) int {
	switch a := addr.(type) {
	case Inet4Addr:
		p := (*unix.RawSockaddrInet4)(unsafe.Pointer(rsa))
		*p = unix.RawSockaddrInet4{Addr: a.IP.As4()}
		setFamily4(p)
		putRawPort(&p.Port, a.Port)
		return unix.SizeofSockaddrInet4
	case Inet6Addr:
		p := (*unix.RawSockaddrInet6)(unsafe.Pointer(rsa))
		*p = unix.RawSockaddrInet6{Flowinfo: Htonl(a.FlowInfo), Addr: a.IP.As16(), Scope_id: a.ScopeID}
		setFamily6(p)
		putRawPort(&p.Port, a.Port)
		return unix.SizeofSockaddrInet6
	}
	return 0
}

// putRawPort stores a port in network byte order.
func putRawPort(p *uint16, port int) {
	b := (*[2]byte)(unsafe.Pointer(p))
	b[0], b[1] = byte(port>>8), byte(port)
}
