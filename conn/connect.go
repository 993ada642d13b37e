//go:build unix

package conn

import (
	"github.com/sockloop/sockloop/sockopt"
	"golang.org/x/sys/unix"
)

// Bind wraps bind(2): it gives the socket a local address of its family.
func (s *Socket) Bind(addr Addr) error {
	sa, err := s.encodeAddr(addr)
	if err != nil {
		return &OpError{Op: "bind", Family: s.family, Addr: addr, Err: err}
	}
	raw := rawSockaddr(addr, sa)
	perr, serr := s.control(func(fd int) error {
		if raw != nil {
			return rawBind(fd, raw)
		}
		return unix.Bind(fd, sa)
	})
	return s.wrapErr("bind", "bind", perr, serr, addr)
}

// Listen wraps listen(2). The backlog is optional (default the smaller of
// SOMAXCONN and 128); a negative one is taken as 0.
func (s *Socket) Listen(backlog ...int) error {
	n := min(SOMAXCONN, 128)
	switch len(backlog) {
	case 0:
	case 1:
		n = max(backlog[0], 0)
	default:
		return valueErr("listen", "at most one backlog")
	}
	perr, serr := s.control(func(fd int) error { return unix.Listen(fd, n) })
	return s.wrapErr("listen", "listen", perr, serr, nil)
}

// Accept wraps accept(2): it waits for a connection (as the mode says) and
// returns a new close-on-exec socket and the peer's address. The new socket
// has the default timeout, not the listener's. ECONNABORTED is retried.
func (s *Socket) Accept() (*Socket, Addr, error) {
	once, err := s.begin("accept", false, 0)
	if err != nil {
		return nil, nil, err
	}
	var nfd int
	var peer Addr
	perr, serr := s.doRead(once, func(fd int) error {
		for {
			var err error
			nfd, peer, err = sysAccept(fd, s.family)
			if err != unix.ECONNABORTED {
				return err
			}
		}
	})
	if err := s.wrapErr("accept", "accept", perr, serr, nil); err != nil {
		return nil, nil, err
	}
	c, err := newSocket(nfd, s.family, s.typ, s.proto)
	if err != nil {
		return nil, nil, err
	}
	return c, peer, nil
}

// Connect wraps connect(2). In blocking and timeout modes it waits for the
// connection to complete (or the timeout to pass); in non-blocking mode a
// connection in progress fails with an error matching ErrWouldBlock and
// unix.EINPROGRESS (unix.EALREADY while an earlier one is still under
// way). A socket connected in blocking mode fails a further Connect with
// unix.EISCONN; after a connection completed in timeout or non-blocking
// mode the kernel answers the next connect with success once, then
// EISCONN, as it does for CPython. A signal does not restart the call; it
// waits instead.
// An AF_UNIX listener with a full backlog fails the call with unix.EAGAIN
// in every mode (as Go's net does), where a blocking CPython socket would
// sleep in the kernel.
func (s *Socket) Connect(addr Addr) error {
	sa, err := s.encodeAddr(addr)
	if err != nil {
		return &OpError{Op: "connect", Family: s.family, Addr: addr, Err: err}
	}
	once, err := s.begin("connect", true, 0)
	if err != nil {
		return err
	}
	raw := rawSockaddr(addr, sa)
	var serr error
	perr := s.rc.Control(func(fd uintptr) {
		if raw != nil {
			serr = rawConnect(int(fd), raw)
		} else {
			serr = unix.Connect(int(fd), sa)
		}
	})
	switch serr {
	case unix.EINPROGRESS, unix.EALREADY, unix.EINTR:
		if once {
			if serr == unix.EINTR {
				serr = unix.EINPROGRESS // the connection goes on
			}
			break
		}
		if perr, serr = s.waitConnect(); perr == nil && serr == nil && s.Timeout() == NoTimeout {
			s.settleConnect(sa, raw)
		}
	}
	return s.wrapErr("connect", "connect", perr, serr, addr)
}

// settleConnect calls connect(2) once more after a connection made in
// blocking mode has completed in the background: the kernel then marks the
// socket connected, as a blocking connect(2) (CPython's) would have, so
// that the next Connect fails with EISCONN. Its result says nothing new.
func (s *Socket) settleConnect(sa unix.Sockaddr, raw *rawSA) {
	s.rc.Control(func(fd uintptr) {
		if raw != nil {
			rawConnect(int(fd), raw)
		} else {
			unix.Connect(int(fd), sa)
		}
	})
}

// waitConnect waits for a non-blocking connect to finish and returns its
// outcome from SO_ERROR.
func (s *Socket) waitConnect() (perr, serr error) {
	perr = s.rc.Write(func(fd uintptr) bool {
		e, err := sockopt.SocketError(int(fd))
		if err != nil {
			serr = optCause(err)
			return true
		}
		switch e {
		case unix.EINPROGRESS, unix.EALREADY, unix.EINTR:
			return false
		case 0, unix.EISCONN:
			if _, err := unix.Getpeername(int(fd)); err == unix.ENOTCONN {
				return false
			}
			serr = nil
			return true
		default:
			serr = e
			return true
		}
	})
	return perr, serr
}

// ConnectEx is Connect that returns the system error number instead of an
// error for failures the system reports (0 on success), as Python's
// connect_ex does; a timeout is reported as unix.EAGAIN. Bad addresses and
// a closed socket are still returned as errors.
func (s *Socket) ConnectEx(addr Addr) (unix.Errno, error) {
	err := s.Connect(addr)
	if err == nil {
		return 0, nil
	}
	op, ok := err.(*OpError)
	if !ok {
		return 0, err
	}
	var errno unix.Errno
	switch {
	case op.Timeout():
		return unix.EAGAIN, nil
	case asErrno(op.Err, &errno):
		return errno, nil
	}
	return 0, err
}

// Shutdown wraps shutdown(2): it closes the read side, the write side or both.
func (s *Socket) Shutdown(how ShutHow) error {
	perr, serr := s.control(func(fd int) error { return unix.Shutdown(fd, int(how)) })
	return s.wrapErr("shutdown", "shutdown", perr, serr, nil)
}

// SockName wraps getsockname(2): the socket's own address. An unbound or
// unnamed AF_UNIX socket reports UnixAddr{}, CPython's empty name.
func (s *Socket) SockName() (Addr, error) {
	var a Addr
	perr, serr := s.control(func(fd int) (err error) { a, err = sysName(fd, s.family, false); return })
	if err := s.wrapErr("getsockname", "getsockname", perr, serr, nil); err != nil {
		return nil, err
	}
	return a, nil
}

// PeerName wraps getpeername(2): the connected peer's address, the
// unnamed UnixAddr{} for an AF_UNIX peer without a name.
func (s *Socket) PeerName() (Addr, error) {
	var a Addr
	perr, serr := s.control(func(fd int) (err error) { a, err = sysName(fd, s.family, true); return })
	if err := s.wrapErr("getpeername", "getpeername", perr, serr, nil); err != nil {
		return nil, err
	}
	return a, nil
}
