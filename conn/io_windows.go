package conn

import (
	"io"
	"unsafe"

	"golang.org/x/sys/windows"
)

// maxChunk caps one WSASend or WSARecv (their lengths are 32 bits), as Go's
// internal/poll caps a write at 1 GiB.
const maxChunk = 1 << 30

func wsaBuf(p []byte) windows.WSABuf {
	p = p[:min(len(p), maxChunk)]
	b := windows.WSABuf{Len: uint32(len(p))}
	if len(p) > 0 {
		b.Buf = unsafe.SliceData(p)
	}
	return b
}

// run makes one call in direction d, whose lock the caller holds: try
// without waiting; if Winsock would block and the call may wait, post the
// operation overlapped with start and wait for it. It returns the count and
// the waiting (perr) and system (serr) errors.
func (s *Socket) run(d *direction, once bool, try func() (uint32, error), start func(o *ioOp) error) (n int, perr, serr error) {
	q, serr := try()
	if serr != windows.WSAEWOULDBLOCK || once || start == nil {
		return int(q), nil, serr
	}
	o := d.op
	posted, serr := o.post(start)
	if !posted {
		return 0, nil, serr
	}
	if perr = s.await(d, o); perr != nil {
		return 0, perr, nil
	}
	q, serr = o.result(s.h)
	return int(q), nil, serr
}

// Recv wraps recv: it returns up to bufsize bytes in a new slice; an empty
// slice with a nil error means the peer closed a stream. Flags (MSG_PEEK,
// ...) are ORed together.
func (s *Socket) Recv(bufsize int, flags ...MsgFlag) ([]byte, error) {
	if bufsize < 0 || bufsize > maxBufsize {
		return nil, valueErr("recv", "buffersize out of range")
	}
	buf := make([]byte, bufsize)
	n, err := s.RecvInto(buf, flags...)
	return received(buf, n), err
}

// RecvInto wraps WSARecv into the caller's buffer and returns the number of
// bytes received; the Socket does not keep buf after the call returns.
// With MSG_WAITALL on a blocking stream socket it returns only when buf is
// full, the peer has closed, or an error stops it (with the count so far).
func (s *Socket) RecvInto(buf []byte, flags ...MsgFlag) (int, error) {
	if err := s.enter("recv_into"); err != nil {
		return 0, err
	}
	defer s.leave()
	fl := orFlags(flags)
	once, err := s.begin("recv_into", false, fl)
	if err != nil {
		return 0, err
	}
	// Winsock refuses MSG_WAITALL on a non-blocking handle: keep reading
	// until buf is full instead, as the Unix code does.
	waitAll := fl&MSG_WAITALL != 0 && s.typ == SOCK_STREAM && !once && s.Timeout() == NoTimeout
	if waitAll {
		fl &^= MSG_WAITALL
	}
	d := &s.rd
	d.lock.Lock()
	defer d.lock.Unlock()
	got := 0
	for {
		rest := buf[got:]
		n, perr, serr := s.run(d, once, func() (uint32, error) {
			b, f := wsaBuf(rest), uint32(fl)
			var q uint32
			err := windows.WSARecv(s.h, &b, 1, &q, &f, nil, nil)
			return q, err
		}, func(o *ioOp) error {
			o.buf, o.flags = wsaBuf(rest), uint32(fl)
			return windows.WSARecv(s.h, &o.buf, 1, nil, &o.flags, &o.ov, nil)
		})
		if err := s.wrapErr("recv", "WSARecv", perr, serr, nil); err != nil {
			if got > 0 && waitAll {
				return got, err
			}
			return 0, err
		}
		got += n
		if !waitAll || got >= len(buf) || n == 0 {
			return got, nil
		}
	}
}

// RecvFrom wraps recvfrom: up to bufsize bytes in a new slice and the
// sender's address (nil for a connected stream).
func (s *Socket) RecvFrom(bufsize int, flags ...MsgFlag) ([]byte, Addr, error) {
	if bufsize < 0 || bufsize > maxBufsize {
		return nil, nil, valueErr("recvfrom", "buffersize out of range")
	}
	buf := make([]byte, bufsize)
	n, addr, err := s.RecvFromInto(buf, flags...)
	return received(buf, n), addr, err
}

// RecvFromInto wraps WSARecvFrom into the caller's buffer: the byte count
// and the sender's address.
func (s *Socket) RecvFromInto(buf []byte, flags ...MsgFlag) (int, Addr, error) {
	if err := s.enter("recvfrom_into"); err != nil {
		return 0, nil, err
	}
	defer s.leave()
	fl := uint32(orFlags(flags))
	once, err := s.begin("recvfrom_into", false, 0)
	if err != nil {
		return 0, nil, err
	}
	d := &s.rd
	d.lock.Lock()
	defer d.lock.Unlock()
	var rsa *windows.RawSockaddrAny
	n, perr, serr := s.run(d, once, func() (uint32, error) {
		b, f := wsaBuf(buf), fl
		var q uint32
		rsa = new(windows.RawSockaddrAny)
		rlen := int32(unsafe.Sizeof(*rsa))
		err := windows.WSARecvFrom(s.h, &b, 1, &q, &f, rsa, &rlen, nil, nil)
		return q, err
	}, func(o *ioOp) error {
		o.buf, o.flags = wsaBuf(buf), fl
		o.rsa, o.rlen = windows.RawSockaddrAny{}, int32(unsafe.Sizeof(o.rsa))
		rsa = &o.rsa
		return windows.WSARecvFrom(s.h, &o.buf, 1, nil, &o.flags, &o.rsa, &o.rlen, &o.ov, nil)
	})
	if err := s.wrapErr("recvfrom", "WSARecvFrom", perr, serr, nil); err != nil {
		return 0, nil, err
	}
	var addr Addr
	if sa, err := rsa.Sockaddr(); err == nil {
		addr = decodeAddr(sa)
	}
	return n, addr, nil
}

// Send wraps WSASend: it sends what Winsock takes of p and returns the
// count, which may be short on a stream socket.
func (s *Socket) Send(p []byte, flags ...MsgFlag) (int, error) {
	if err := s.enter("send"); err != nil {
		return 0, err
	}
	defer s.leave()
	once, err := s.begin("send", true, 0)
	if err != nil {
		return 0, err
	}
	d := &s.wr
	d.lock.Lock()
	defer d.lock.Unlock()
	n, perr, serr := s.send(d, once, p, uint32(orFlags(flags)), nil)
	if err := s.wrapErr("send", "WSASend", perr, serr, nil); err != nil {
		return 0, err
	}
	return n, nil
}

// send makes one WSASend (to nil) or WSASendTo; d's lock is held.
func (s *Socket) send(d *direction, once bool, p []byte, fl uint32, to windows.Sockaddr) (int, error, error) {
	var rsa windows.RawSockaddrAny
	var tolen int32
	if to != nil {
		var err error
		if tolen, err = encodeRaw(to, &rsa); err != nil {
			return 0, nil, err
		}
	}
	return s.run(d, once, func() (uint32, error) {
		b := wsaBuf(p)
		var q uint32
		var err error
		if to == nil {
			err = windows.WSASend(s.h, &b, 1, &q, fl, nil, nil)
		} else {
			err = windows.WSASendTo(s.h, &b, 1, &q, fl, &rsa, tolen, nil, nil)
		}
		return q, err
	}, func(o *ioOp) error {
		o.buf = wsaBuf(p)
		if to == nil {
			return windows.WSASend(s.h, &o.buf, 1, nil, fl, &o.ov, nil)
		}
		o.rsa = rsa
		return windows.WSASendTo(s.h, &o.buf, 1, nil, fl, &o.rsa, tolen, &o.ov, nil)
	})
}

// SendTo wraps WSASendTo: it sends p to addr (for datagram sockets).
func (s *Socket) SendTo(p []byte, addr Addr, flags ...MsgFlag) (int, error) {
	sa, err := s.encodeAddr(addr)
	if err != nil {
		return 0, &OpError{Op: "sendto", Family: s.family, Addr: addr, Err: err}
	}
	if err := s.enter("sendto"); err != nil {
		return 0, err
	}
	defer s.leave()
	once, err := s.begin("sendto", true, 0)
	if err != nil {
		return 0, err
	}
	d := &s.wr
	d.lock.Lock()
	defer d.lock.Unlock()
	n, perr, serr := s.send(d, once, p, uint32(orFlags(flags)), sa)
	if err := s.wrapErr("sendto", "WSASendTo", perr, serr, addr); err != nil {
		return 0, err
	}
	return n, nil
}

// SendAll sends all of p, calling WSASend as often as it takes, and returns
// the count sent. Under a timeout the timeout bounds the whole call; in
// non-blocking mode it stops with an error matching ErrWouldBlock when
// Winsock takes no more, and the count says how much went out. The Socket
// does not keep p after the call returns.
func (s *Socket) SendAll(p []byte, flags ...MsgFlag) (int, error) {
	if err := s.enter("sendall"); err != nil {
		return 0, err
	}
	defer s.leave()
	once, err := s.begin("sendall", true, 0)
	if err != nil {
		return 0, err
	}
	d := &s.wr
	d.lock.Lock()
	defer d.lock.Unlock()
	fl := uint32(orFlags(flags))
	sent := 0
	for {
		n, perr, serr := s.send(d, once, p[sent:], fl, nil)
		sent += n
		if err := s.wrapErr("sendall", "WSASend", perr, serr, nil); err != nil {
			return sent, err
		}
		if sent >= len(p) {
			return sent, nil
		}
		if n == 0 {
			return sent, s.wrapErr("sendall", "WSASend", nil, io.ErrShortWrite, nil)
		}
	}
}
