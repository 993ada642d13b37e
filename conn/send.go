//go:build unix

package conn

// Send wraps send(2): it sends what the kernel takes of p at once and
// returns the count, which may be short on a stream socket.
func (s *Socket) Send(p []byte, flags ...MsgFlag) (int, error) {
	fl := orFlags(flags)
	if n, serr, did := s.wop.direct(s.directMode(true, fl), false, int(fl)|sendFlags, p); did == directDone {
		if serr != nil {
			return 0, s.wrapErr("send", "sendmsg", nil, serr, nil)
		}
		return n, nil
	}
	once, err := s.begin("send", true, fl)
	if err != nil {
		return 0, err
	}
	n, perr, serr := s.wop.do(once, false, int(fl)|sendFlags, p)
	if err := s.wrapErr("send", "sendmsg", perr, serr, nil); err != nil {
		return 0, err
	}
	return n, nil
}

// SendTo wraps sendto(2): it sends p to addr (for datagram sockets).
func (s *Socket) SendTo(p []byte, addr Addr, flags ...MsgFlag) (int, error) {
	sa, err := s.encodeAddr(addr)
	if err != nil {
		return 0, &OpError{Op: "sendto", Family: s.family, Addr: addr, Err: err}
	}
	fl := orFlags(flags)
	once, err := s.begin("sendto", true, fl)
	if err != nil {
		return 0, err
	}
	raw := rawSockaddr(addr, sa)
	var n int
	perr, serr := s.doWrite(once, func(fd int) (err error) {
		if raw != nil {
			n, err = rawSendmsg(fd, [][]byte{p}, nil, raw, int(fl)|sendFlags)
		} else {
			n, err = s.sendmsgN(fd, p, nil, sa, int(fl)|sendFlags)
		}
		return err
	})
	if err := s.wrapErr("sendto", "sendmsg", perr, serr, addr); err != nil {
		return 0, err
	}
	return n, nil
}

// SendAll sends all of p, calling send(2) as often as it takes, and returns
// the count sent. Under a timeout the timeout bounds the whole call; in
// non-blocking mode it stops with an error matching ErrWouldBlock when the
// kernel takes no more, and the count says how much went out. The Socket
// does not keep p after the call returns.
func (s *Socket) SendAll(p []byte, flags ...MsgFlag) (int, error) {
	fl := orFlags(flags)
	n, serr, did := s.wop.direct(s.directMode(true, fl), true, int(fl)|sendFlags, p)
	switch did {
	case directDone:
		return n, s.wrapErr("sendall", "sendmsg", nil, serr, nil)
	case directMore:
		// Part went out at once; the rest waits in the poller, still
		// holding the gate so no other write comes between.
		once, err := s.begin("sendall", true, fl)
		if err != nil {
			s.wop.abandon()
			return n, err
		}
		s.wop.once = once
		sent, perr, serr := s.wop.poll()
		return sent, s.wrapErr("sendall", "sendmsg", perr, serr, nil)
	}
	once, err := s.begin("sendall", true, fl)
	if err != nil {
		return 0, err
	}
	sent, perr, serr := s.wop.do(once, true, int(fl)|sendFlags, p)
	return sent, s.wrapErr("sendall", "sendmsg", perr, serr, nil)
}
