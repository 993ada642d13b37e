package conn

import (
	"net/netip"
	"os"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Bind wraps bind: it gives the socket a local address of its family.
func (s *Socket) Bind(addr Addr) error {
	sa, err := s.encodeAddr(addr)
	if err != nil {
		return &OpError{Op: "bind", Family: s.family, Addr: addr, Err: err}
	}
	if err := s.enter("bind"); err != nil {
		return err
	}
	defer s.leave()
	return s.wrapErr("bind", "bind", nil, windows.Bind(s.h, sa), addr)
}

// Listen wraps listen. The backlog is optional (default 128); a negative
// one is taken as 0.
func (s *Socket) Listen(backlog ...int) error {
	n := min(SOMAXCONN, 128)
	switch len(backlog) {
	case 0:
	case 1:
		n = max(backlog[0], 0)
	default:
		return valueErr("listen", "at most one backlog")
	}
	if err := s.enter("listen"); err != nil {
		return err
	}
	defer s.leave()
	return s.wrapErr("listen", "listen", nil, windows.Listen(s.h, n), nil)
}

// Accept waits for a connection (as the mode says) and returns a new
// socket and the peer's address: accept when one is queued, else AcceptEx
// on the completion port. The new socket has the default timeout, not the
// listener's, and is not inheritable.
func (s *Socket) Accept() (*Socket, Addr, error) {
	if err := s.enter("accept"); err != nil {
		return nil, nil, err
	}
	defer s.leave()
	once, err := s.begin("accept", false, 0)
	if err != nil {
		return nil, nil, err
	}
	d := &s.rd
	d.lock.Lock()
	defer d.lock.Unlock()
	nh, sa, serr := sysAccept(s.h)
	if serr == windows.WSAEWOULDBLOCK && !once {
		var perr error
		nh, perr, serr = s.acceptEx(d)
		if err := s.wrapErr("accept", "AcceptEx", perr, serr, nil); err != nil {
			return nil, nil, err
		}
		sa, serr = windows.Getpeername(nh)
		if serr != nil {
			windows.Closesocket(nh)
		}
	}
	if err := s.wrapErr("accept", "accept", nil, serr, nil); err != nil {
		return nil, nil, err
	}
	windows.SetHandleInformation(nh, windows.HANDLE_FLAG_INHERIT, 0)
	if err := setNonblock(nh, true); err != nil {
		windows.Closesocket(nh)
		return nil, nil, s.wrapErr("accept", "ioctlsocket", nil, err, nil)
	}
	c, err := newSocket(nh, s.family, s.typ, s.proto)
	if err != nil {
		return nil, nil, err
	}
	return c, decodeAddr(sa), nil
}

// acceptEx posts AcceptEx with a fresh socket and waits for it; d's lock
// is held. On success the socket has the listener's context.
func (s *Socket) acceptEx(d *direction) (windows.Handle, error, error) {
	nh, err := sysSocket(int(s.family), int(s.typ), int(s.proto), nil)
	if err != nil {
		return 0, nil, err
	}
	o := d.op
	const alen = uint32(len(o.acc) / 2)
	posted, serr := o.post(func(o *ioOp) error {
		return windows.AcceptEx(s.h, nh, &o.acc[0], 0, alen, alen, &o.qty, &o.ov)
	})
	var perr error
	if posted {
		if perr = s.await(d, o); perr == nil {
			_, serr = o.result(s.h)
		}
	}
	if perr == nil && serr == nil {
		serr = windows.Setsockopt(nh, windows.SOL_SOCKET, windows.SO_UPDATE_ACCEPT_CONTEXT,
			(*byte)(unsafe.Pointer(&s.h)), int32(unsafe.Sizeof(s.h)))
	}
	if perr != nil || serr != nil {
		windows.Closesocket(nh)
		return 0, perr, serr
	}
	return nh, nil, nil
}

// Connect connects the socket. In blocking and timeout modes a stream
// socket connects with ConnectEx on the completion port (binding to the
// any address first if it is unbound, as ConnectEx requires) and waits for
// the connection or the timeout; in non-blocking mode connect returns at
// once, and a connection in progress fails with an error matching
// ErrWouldBlock and windows.WSAEWOULDBLOCK. A socket already connected
// fails with windows.WSAEISCONN, as in CPython.
func (s *Socket) Connect(addr Addr) error {
	sa, err := s.encodeAddr(addr)
	if err != nil {
		return &OpError{Op: "connect", Family: s.family, Addr: addr, Err: err}
	}
	if err := s.enter("connect"); err != nil {
		return err
	}
	defer s.leave()
	once, err := s.begin("connect", true, 0)
	if err != nil {
		return err
	}
	d := &s.wr
	d.lock.Lock()
	defer d.lock.Unlock()
	if once || s.typ != SOCK_STREAM {
		return s.wrapErr("connect", "connect", nil, windows.Connect(s.h, sa), addr)
	}
	if _, err := windows.Getsockname(s.h); err != nil {
		if err := windows.Bind(s.h, anyAddr(s.family)); err != nil {
			return s.wrapErr("connect", "bind", nil, err, addr)
		}
	}
	o := d.op
	posted, serr := o.post(func(o *ioOp) error {
		o.to = sa
		return windows.ConnectEx(s.h, o.to, nil, 0, nil, &o.ov)
	})
	var perr error
	switch {
	case posted:
		if perr = s.await(d, o); perr == nil {
			_, serr = o.result(s.h)
		}
	case serr == windows.WSAEALREADY || serr == windows.WSAEINVAL:
		perr, serr = s.waitConnected(d) // a non-blocking connect is under way
	}
	if perr == nil && serr == nil {
		serr = windows.Setsockopt(s.h, windows.SOL_SOCKET, windows.SO_UPDATE_CONNECT_CONTEXT, nil, 0)
	}
	return s.wrapErr("connect", "ConnectEx", perr, serr, addr)
}

// waitConnected waits for a connect started in non-blocking mode, which has
// no operation on the completion port to wait for: it asks SO_ERROR and
// getpeername at growing intervals (1 ms to 50 ms) until the connection is
// made or fails, the deadline passes or Close is called.
func (s *Socket) waitConnected(d *direction) (perr, serr error) {
	for pause := time.Millisecond; ; pause = min(2*pause, 50*time.Millisecond) {
		if e, err := windows.GetsockoptInt(s.h, windows.SOL_SOCKET, int(SO_ERROR)); err != nil {
			return nil, err
		} else if e != 0 {
			return nil, syscall.Errno(e)
		}
		if _, err := windows.Getpeername(s.h); err == nil {
			return nil, nil
		}
		s.mu.Lock()
		dl, changed := d.deadline(), d.changed
		s.mu.Unlock()
		if !dl.IsZero() && !time.Now().Before(dl) {
			return os.ErrDeadlineExceeded, nil
		}
		t := time.NewTimer(pause)
		select {
		case <-t.C:
		case <-changed:
			t.Stop()
		case <-s.closing:
			t.Stop()
			return errClosed, nil
		}
	}
}

// anyAddr is the any address of the family, port 0.
func anyAddr(f Family) windows.Sockaddr {
	if f == AF_INET6 {
		return &windows.SockaddrInet6{Addr: netip.IPv6Unspecified().As16()}
	}
	return &windows.SockaddrInet4{}
}

// ConnectEx is Connect that returns the system error number instead of an
// error for failures the system reports (0 on success), as Python's
// connect_ex does; a timeout is reported as windows.WSAEWOULDBLOCK, as in
// CPython. Bad addresses and a closed socket are still returned as errors.
func (s *Socket) ConnectEx(addr Addr) (syscall.Errno, error) {
	err := s.Connect(addr)
	if err == nil {
		return 0, nil
	}
	op, ok := err.(*OpError)
	if !ok {
		return 0, err
	}
	var errno syscall.Errno
	switch {
	case op.Timeout():
		return windows.WSAEWOULDBLOCK, nil
	case asErrno(op.Err, &errno):
		return errno, nil
	}
	return 0, err
}

// Shutdown wraps shutdown: it closes the read side, the write side or both.
func (s *Socket) Shutdown(how ShutHow) error {
	if err := s.enter("shutdown"); err != nil {
		return err
	}
	defer s.leave()
	return s.wrapErr("shutdown", "shutdown", nil, windows.Shutdown(s.h, int(how)), nil)
}

// SockName wraps getsockname: the socket's own address.
func (s *Socket) SockName() (Addr, error) {
	if err := s.enter("getsockname"); err != nil {
		return nil, err
	}
	defer s.leave()
	sa, err := windows.Getsockname(s.h)
	if err := s.wrapErr("getsockname", "getsockname", nil, err, nil); err != nil {
		return nil, err
	}
	return decodeAddr(sa), nil
}

// PeerName wraps getpeername: the connected peer's address.
func (s *Socket) PeerName() (Addr, error) {
	if err := s.enter("getpeername"); err != nil {
		return nil, err
	}
	defer s.leave()
	sa, err := windows.Getpeername(s.h)
	if err := s.wrapErr("getpeername", "getpeername", nil, err, nil); err != nil {
		return nil, err
	}
	return decodeAddr(sa), nil
}
