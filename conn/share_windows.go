package conn

import (
	"cmp"
	"net/netip"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Socketpair returns two connected sockets, emulated as CPython does on
// Windows: a listener on the loopback address of the family, a connection
// to it, and a check that the accepted peer is that connection. Family 0
// means AF_INET and type 0 means SOCK_STREAM; other families, types and
// protocols are an error matching windows.WSAEINVAL.
func Socketpair(family Family, typ Type, proto Proto) (*Socket, *Socket, error) {
	if family == 0 {
		family = AF_INET
	}
	if typ == 0 {
		typ = SOCK_STREAM
	}
	host := netip.IPv4Unspecified()
	switch {
	case family == AF_INET:
		host = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	case family == AF_INET6:
		host = netip.IPv6Loopback()
	default:
		return nil, nil, valueErr("socketpair", "only AF_INET and AF_INET6 are supported")
	}
	if typ != SOCK_STREAM || proto != 0 {
		return nil, nil, valueErr("socketpair", "only SOCK_STREAM with protocol 0 is supported")
	}
	l, err := Open(family, typ, proto)
	if err != nil {
		return nil, nil, err
	}
	defer l.Close()
	var local Addr = Inet4Addr{IP: host}
	if family == AF_INET6 {
		local = Inet6Addr{IP: host}
	}
	a, b, err := pairOn(l, local)
	if err != nil {
		return nil, nil, &OpError{Op: "socketpair", Family: family, Err: err}
	}
	return a, b, nil
}

// pairOn connects a new socket to listener l bound at local and accepts
// it, both in blocking mode; the two get the default timeout.
func pairOn(l *Socket, local Addr) (*Socket, *Socket, error) {
	if err := l.SetTimeout(NoTimeout); err != nil {
		return nil, nil, err
	}
	if err := l.Bind(local); err != nil {
		return nil, nil, err
	}
	if err := l.Listen(1); err != nil {
		return nil, nil, err
	}
	laddr, err := l.SockName()
	if err != nil {
		return nil, nil, err
	}
	c, err := Open(l.family, l.typ, l.proto)
	if err != nil {
		return nil, nil, err
	}
	c.SetTimeout(NoTimeout)
	if err := c.Connect(laddr); err != nil {
		c.Close()
		return nil, nil, err
	}
	a, _, err := l.Accept()
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	// Another process may have connected first: the accepted socket must
	// be the other end of c.
	an, err1 := a.SockName()
	ap, err2 := a.PeerName()
	cn, err3 := c.SockName()
	cp, err4 := c.PeerName()
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil || an != cp || ap != cn {
		a.Close()
		c.Close()
		return nil, nil, &AddrError{Reason: "socketpair: unexpected peer connection", Addr: laddr.String()}
	}
	d := DefaultTimeout()
	a.SetTimeout(d)
	c.SetTimeout(d)
	return a, c, nil
}

// FromFD makes a Socket that owns the socket handle fd, without
// duplicating it. Family, type and protocol are read from the handle
// (SO_PROTOCOL_INFOW) where they are 0. The handle must be overlapped and
// not yet associated with a completion port (sockets from package net are
// on Go's own port and are refused); it is switched to non-blocking mode,
// and closed if it cannot be used.
func FromFD(fd int, family Family, typ Type, proto Proto) (*Socket, error) {
	if fd < 0 {
		return nil, valueErr("fromfd", "negative file descriptor")
	}
	h := windows.Handle(fd)
	if family == 0 || typ == 0 || proto == 0 {
		info, err := protocolInfo(h)
		if err != nil {
			return nil, &OpError{Op: "fromfd", Err: err}
		}
		family = cmp.Or(family, Family(info.AddressFamily))
		typ = cmp.Or(typ, Type(info.SocketType))
		proto = cmp.Or(proto, Proto(info.Protocol))
	}
	if err := setNonblock(h, true); err != nil {
		return nil, &OpError{Op: "fromfd", Family: family, Err: os.NewSyscallError("ioctlsocket", err)}
	}
	_, ours := onPort.LoadAndDelete(h)
	return adopt(h, ours, family, typ, proto)
}

// DupFD duplicates the socket handle fd (WSADuplicateSocket into this
// process) and makes a Socket of the copy, as Python's socket.fromfd
// does; the caller keeps fd.
func DupFD(fd int, family Family, typ Type, proto Proto) (*Socket, error) {
	data, err := share(windows.Handle(fd), windows.GetCurrentProcessId())
	if err != nil {
		return nil, &OpError{Op: "fromfd", Family: family, Err: err}
	}
	_, ours := onPort.Load(windows.Handle(fd))
	s, err := fromShare(data, ours)
	if err != nil {
		return nil, err
	}
	s.family = cmp.Or(family, s.family)
	s.typ = cmp.Or(typ, s.typ)
	s.proto = cmp.Or(proto, s.proto)
	return s, nil
}

// Dup duplicates the socket within this process; the copy has the same
// family, type, protocol and timeout.
func (s *Socket) Dup() (*Socket, error) {
	if err := s.enter("dup"); err != nil {
		return nil, err
	}
	data, err := share(s.h, windows.GetCurrentProcessId())
	s.leave()
	if err != nil {
		return nil, &OpError{Op: "dup", Family: s.family, Err: err}
	}
	d, err := fromShare(data, true)
	if err != nil {
		return nil, err
	}
	d.typ, d.proto, d.timeout = s.typ, s.proto, s.Timeout()
	return d, nil
}

// Share wraps WSADuplicateSocket, as Python's socket.share: it returns the
// bytes (a WSAPROTOCOL_INFOW) with which process pid makes its own socket
// for the same connection through FromShare. The bytes are good for that
// process only, and for one FromShare.
func (s *Socket) Share(pid int) ([]byte, error) {
	if pid < 0 || int64(pid) > int64(^uint32(0)) {
		return nil, valueErr("share", "process id out of range")
	}
	if err := s.enter("share"); err != nil {
		return nil, err
	}
	defer s.leave()
	data, err := share(s.h, uint32(pid))
	if err != nil {
		return nil, &OpError{Op: "share", Family: s.family, Err: err}
	}
	if uint32(pid) == windows.GetCurrentProcessId() {
		onPort.Store(string(data), struct{}{})
	}
	return data, nil
}

func share(h windows.Handle, pid uint32) ([]byte, error) {
	var info windows.WSAProtocolInfo
	if err := windows.WSADuplicateSocket(h, pid, &info); err != nil {
		return nil, os.NewSyscallError("WSADuplicateSocket", err)
	}
	return append([]byte(nil), unsafe.Slice((*byte)(unsafe.Pointer(&info)), unsafe.Sizeof(info))...), nil
}

// FromShare makes a Socket from bytes that Share produced for this process
// (Python's socket.fromshare). Bytes of the wrong length are an error
// matching windows.WSAEINVAL; the socket gets the default timeout.
func FromShare(data []byte) (*Socket, error) {
	_, ours := onPort.LoadAndDelete(string(data))
	return fromShare(data, ours)
}

// fromShare is FromShare for a socket that may be on the port already.
func fromShare(data []byte, ours bool) (*Socket, error) {
	var info windows.WSAProtocolInfo
	if len(data) != int(unsafe.Sizeof(info)) {
		return nil, valueErr("fromshare", "data is not a WSAPROTOCOL_INFOW")
	}
	copy(unsafe.Slice((*byte)(unsafe.Pointer(&info)), len(data)), data)
	family := Family(info.AddressFamily)
	h, err := sysSocket(fromProtocolInfo, fromProtocolInfo, fromProtocolInfo, &info)
	if err != nil {
		return nil, &OpError{Op: "fromshare", Family: family, Err: os.NewSyscallError("WSASocket", err)}
	}
	return adopt(h, ours, family, Type(info.SocketType), Proto(info.Protocol))
}
