package loop

import (
	"net"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

// dialConn dials addr with package net, except UDP: under Wine, net's UDP
// sockets fail at creation (WSAIoctl(SIO_UDP_CONNRESET) is refused), so
// the tests' UDP client is a plain Winsock socket behind net.Conn.
func dialConn(addr net.Addr) (net.Conn, error) {
	ua, ok := addr.(*net.UDPAddr)
	if !ok {
		return net.Dial(addr.Network(), addr.String())
	}
	return dialWinUDP(ua)
}

// haveUnixSockets reports whether AF_UNIX stream sockets work here: Windows
// 10 has them, Wine 8 does not.
func haveUnixSockets() bool {
	fd, err := sysSocket(afUnix, sockStream)
	if err != nil {
		return false
	}
	closeFD(fd)
	return true
}

// winUDP is a connected, blocking Winsock UDP socket as a net.Conn.
type winUDP struct {
	h             windows.Handle
	local, remote *net.UDPAddr
	rdeadline     time.Time
}

func dialWinUDP(to *net.UDPAddr) (net.Conn, error) {
	family, sa := windows.AF_INET, windows.Sockaddr(nil)
	if ip4 := to.IP.To4(); ip4 != nil {
		a := &windows.SockaddrInet4{Port: to.Port}
		copy(a.Addr[:], ip4)
		sa = a
	} else {
		a := &windows.SockaddrInet6{Port: to.Port}
		copy(a.Addr[:], to.IP.To16())
		family, sa = windows.AF_INET6, a
	}
	h, err := windows.Socket(family, windows.SOCK_DGRAM, windows.IPPROTO_UDP)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	if err := windows.Connect(h, sa); err != nil {
		windows.Closesocket(h)
		return nil, os.NewSyscallError("connect", err)
	}
	lsa, err := windows.Getsockname(h)
	if err != nil {
		windows.Closesocket(h)
		return nil, os.NewSyscallError("getsockname", err)
	}
	return &winUDP{h: h, local: udpAddrOf(lsa), remote: to}, nil
}

func udpAddrOf(sa windows.Sockaddr) *net.UDPAddr {
	switch a := sa.(type) {
	case *windows.SockaddrInet4:
		return &net.UDPAddr{IP: net.IP(a.Addr[:]).To16(), Port: a.Port}
	case *windows.SockaddrInet6:
		return &net.UDPAddr{IP: net.IP(a.Addr[:]), Port: a.Port}
	}
	return nil
}

func (c *winUDP) Read(p []byte) (int, error) {
	ms := 0 // no timeout
	if !c.rdeadline.IsZero() {
		d := time.Until(c.rdeadline)
		if d <= 0 {
			return 0, &net.OpError{Op: "read", Net: "udp", Err: os.ErrDeadlineExceeded}
		}
		ms = int(max(d/time.Millisecond, 1))
	}
	const soRcvtimeo = 0x1006
	windows.SetsockoptInt(c.h, windows.SOL_SOCKET, soRcvtimeo, ms)
	buf := windows.WSABuf{Len: uint32(len(p)), Buf: &p[0]}
	var n, flags uint32
	if err := windows.WSARecv(c.h, &buf, 1, &n, &flags, nil, nil); err != nil {
		if err == windows.WSAETIMEDOUT {
			return 0, &net.OpError{Op: "read", Net: "udp", Err: os.ErrDeadlineExceeded}
		}
		return 0, &net.OpError{Op: "read", Net: "udp", Err: os.NewSyscallError("wsarecv", err)}
	}
	return int(n), nil
}

func (c *winUDP) Write(p []byte) (int, error) {
	var zero byte
	buf := windows.WSABuf{Len: uint32(len(p)), Buf: &zero}
	if len(p) > 0 {
		buf.Buf = &p[0]
	}
	var n uint32
	if err := windows.WSASend(c.h, &buf, 1, &n, 0, nil, nil); err != nil {
		return 0, &net.OpError{Op: "write", Net: "udp", Err: os.NewSyscallError("wsasend", err)}
	}
	return int(n), nil
}

func (c *winUDP) Close() error                       { return windows.Closesocket(c.h) }
func (c *winUDP) LocalAddr() net.Addr                { return c.local }
func (c *winUDP) RemoteAddr() net.Addr               { return c.remote }
func (c *winUDP) SetDeadline(t time.Time) error      { c.rdeadline = t; return nil }
func (c *winUDP) SetReadDeadline(t time.Time) error  { c.rdeadline = t; return nil }
func (c *winUDP) SetWriteDeadline(t time.Time) error { return nil }
