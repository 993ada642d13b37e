package loop

import (
	"net"
	"syscall"
)

// ListenNet serves a duplicate of the socket of l, a *net.TCPListener or
// *net.UnixListener, as Listen serves a socket it made; call it before
// Start. The caller keeps l: closing it closes the caller's descriptor, not
// the engine's, which Stop closes.
func (e *Engine) ListenNet(l net.Listener) (net.Addr, error) {
	return e.listenDup(l, l.Addr())
}

// ListenNetPacket serves a duplicate of the socket of pc, a *net.UDPConn,
// as ListenNet does a listener's.
func (e *Engine) ListenNetPacket(pc net.PacketConn) (net.Addr, error) {
	return e.listenDup(pc, pc.LocalAddr())
}

// listenDup serves a duplicate of the descriptor of s, a socket of package
// net bound to addr.
func (e *Engine) listenDup(s any, addr net.Addr) (net.Addr, error) {
	fail := func(err error) (net.Addr, error) {
		return nil, &net.OpError{Op: "listen", Net: addr.Network(), Addr: addr, Err: err}
	}
	sc, ok := s.(syscall.Conn)
	if !ok {
		return fail(errNotSocket)
	}
	dup, err := dupSocket(sc)
	if err != nil {
		return fail(err)
	}
	a, err := e.ListenFD(dup)
	if err != nil {
		closeFD(dup)
	}
	return a, err
}

// dupSocket duplicates the descriptor of sc, a socket of package net, for
// the engine to own (AdoptConn, ListenNet).
func dupSocket(sc syscall.Conn) (int, error) {
	raw, err := sc.SyscallConn()
	if err != nil {
		return -1, err
	}
	dup := -1
	var dupErr error
	if err := raw.Control(func(fd uintptr) { dup, dupErr = dupFD(fd) }); err != nil {
		return -1, err
	}
	return dup, dupErr
}

// adoptListener registers a listener made from a socket the engine did not
// bind.
func (e *Engine) adoptListener(ln *listener) (net.Addr, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.state.Load() != engineNew {
		return nil, ErrEngineRunning
	}
	e.listeners = append(e.listeners, ln)
	return ln.addr, nil
}
