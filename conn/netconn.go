//go:build unix || windows

package conn

import (
	"io"
	"net"
	"net/netip"
	"os"
)

var (
	_ net.Conn       = (*Socket)(nil)
	_ io.ReaderFrom  = (*Socket)(nil)
	_ net.PacketConn = (*PacketConn)(nil)
	_ net.Listener   = (*Listener)(nil)
)

// Read is net.Conn's Read: RecvInto, with io.EOF when a stream's peer has
// closed. The Socket does not keep p after the call returns.
func (s *Socket) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n, err := s.RecvInto(p)
	if n == 0 && err == nil && s.typ == SOCK_STREAM {
		return 0, io.EOF
	}
	return n, err
}

// Write is net.Conn's Write: SendAll. It returns only when all of p is sent
// or an error stops it, and does not keep p after it returns.
func (s *Socket) Write(p []byte) (int, error) { return s.SendAll(p) }

// LocalAddr is net.Conn's LocalAddr: SockName as a net type (*net.TCPAddr,
// *net.UDPAddr, *net.UnixAddr) where one fits; nil if the socket is closed.
func (s *Socket) LocalAddr() net.Addr {
	a, err := s.SockName()
	if err != nil {
		return nil
	}
	return toNetAddr(a, s.typ)
}

// RemoteAddr is net.Conn's RemoteAddr: PeerName as a net type; nil if not
// connected.
func (s *Socket) RemoteAddr() net.Addr {
	a, err := s.PeerName()
	if err != nil {
		return nil
	}
	return toNetAddr(a, s.typ)
}

// ReadFrom is io.ReaderFrom's ReadFrom: an *os.File (or an *io.LimitedReader
// over one) goes through SendFile from its current offset; anything else is
// copied through SendAll.
func (s *Socket) ReadFrom(r io.Reader) (int64, error) {
	var count int64
	lr, limited := r.(*io.LimitedReader)
	if limited {
		r, count = lr.R, lr.N
		if count <= 0 {
			return 0, nil
		}
	}
	if f, ok := r.(*os.File); ok {
		off, err := f.Seek(0, io.SeekCurrent)
		if err == nil {
			n, err := s.SendFile(f, off, count)
			if limited {
				lr.N -= n
			}
			return n, err
		}
	}
	if limited {
		r = lr
	}
	return io.Copy(writerOnly{s}, r)
}

type writerOnly struct{ io.Writer }

func toNetAddr(a Addr, typ Type) net.Addr {
	var ap netip.AddrPort
	switch a := a.(type) {
	case Inet4Addr:
		ap = netip.AddrPortFrom(a.IP, uint16(a.Port))
	case Inet6Addr:
		ap = netip.AddrPortFrom(a.IP, uint16(a.Port))
	case UnixAddr:
		nw := map[Type]string{SOCK_STREAM: "unix", SOCK_DGRAM: "unixgram", SOCK_SEQPACKET: "unixpacket"}[typ]
		return &net.UnixAddr{Name: a.String(), Net: nw}
	default:
		return a
	}
	if typ == SOCK_DGRAM {
		return net.UDPAddrFromAddrPort(ap)
	}
	return net.TCPAddrFromAddrPort(ap)
}

// fromNetAddr turns a net.Addr into an Addr for family.
func fromNetAddr(a net.Addr, family Family) (Addr, error) {
	var ap netip.AddrPort
	switch a := a.(type) {
	case Addr:
		return a, nil
	case *net.UDPAddr:
		ap = a.AddrPort()
	case *net.TCPAddr:
		ap = a.AddrPort()
	case *net.UnixAddr:
		return unixFromGo(a.Name), nil // Go's net spells an abstract name '@name'
	default:
		return nil, addrErr("unsupported address type", a.String())
	}
	if family == AF_INET {
		return Inet4Addr{IP: ap.Addr().Unmap(), Port: int(ap.Port())}, nil
	}
	return Inet6Addr{IP: netip.AddrFrom16(ap.Addr().As16()).WithZone(ap.Addr().Zone()), Port: int(ap.Port())}, nil
}

// PacketConn returns the socket seen as a net.PacketConn (for datagram
// sockets); it shares the descriptor.
func (s *Socket) PacketConn() *PacketConn { return &PacketConn{s} }

// Listener returns the socket seen as a net.Listener (for listening
// sockets); it shares the descriptor.
func (s *Socket) Listener() *Listener { return &Listener{S: s} }

// PacketConn is a datagram Socket seen as a net.PacketConn.
type PacketConn struct {
	*Socket
}

// ReadFrom is net.PacketConn's ReadFrom: RecvFromInto with a net address.
func (p *PacketConn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, a, err := p.RecvFromInto(b)
	if err != nil || a == nil {
		return n, nil, err
	}
	return n, toNetAddr(a, p.typ), nil
}

// WriteTo is net.PacketConn's WriteTo: SendTo with a net address. A
// *net.UnixAddr is read as Go's net reads it: on Linux a name beginning
// with '@' is abstract.
func (p *PacketConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	a, err := fromNetAddr(addr, p.family)
	if err != nil {
		return 0, &OpError{Op: "sendto", Family: p.family, Err: err}
	}
	return p.SendTo(b, a)
}

// Listener is a listening Socket seen as a net.Listener.
type Listener struct {
	S *Socket
}

// Accept is net.Listener's Accept: the accepted Socket as a net.Conn.
func (l *Listener) Accept() (net.Conn, error) {
	c, _, err := l.S.Accept()
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Close closes the listening socket; a waiting Accept returns net.ErrClosed.
func (l *Listener) Close() error { return l.S.Close() }

// Addr returns the listening address as a net type.
func (l *Listener) Addr() net.Addr { return l.S.LocalAddr() }
