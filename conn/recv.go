//go:build unix

package conn

// Recv wraps recv(2): it returns up to bufsize bytes in a new slice; an
// empty slice with a nil error means the peer closed a stream. Flags
// (MSG_PEEK, ...) are ORed together. With MSG_TRUNC on a datagram socket
// the slice has the datagram's whole length, as CPython's, zero past
// bufsize.
func (s *Socket) Recv(bufsize int, flags ...MsgFlag) ([]byte, error) {
	if bufsize < 0 || bufsize > maxBufsize {
		return nil, valueErr("recv", "buffersize out of range")
	}
	buf := make([]byte, bufsize)
	n, err := s.RecvInto(buf, flags...)
	return received(buf, n), err
}

// RecvInto wraps recv(2) into the caller's buffer and returns the number of
// bytes received; the Socket does not keep buf after the call returns.
// With MSG_WAITALL on a blocking stream socket it returns only when buf is
// full, the peer has closed, or an error stops it (with the count so far).
func (s *Socket) RecvInto(buf []byte, flags ...MsgFlag) (int, error) {
	fl := orFlags(flags)
	if fl&MSG_WAITALL == 0 {
		if n, serr, did := s.rop.direct(s.directMode(false, fl), false, int(fl), buf); did == directDone {
			if serr != nil {
				return 0, s.wrapErr("recv", "recvfrom", nil, serr, nil)
			}
			return n, nil
		}
	}
	once, err := s.begin("recv_into", false, fl)
	if err != nil {
		return 0, err
	}
	// A blocking CPython socket waits in the kernel for MSG_WAITALL; the
	// descriptor here is non-blocking, so keep reading until buf is full.
	waitAll := fl&MSG_WAITALL != 0 && s.typ == SOCK_STREAM && !once && s.Timeout() == NoTimeout
	got, perr, serr := s.rop.do(once, waitAll, int(fl), buf)
	if err := s.wrapErr("recv", "recvfrom", perr, serr, nil); err != nil {
		if got > 0 && waitAll {
			return got, err
		}
		return 0, err
	}
	return got, nil
}

// RecvFrom wraps recvfrom(2): up to bufsize bytes in a new slice and the
// sender's address (nil for a connected stream or an unnamed AF_UNIX
// sender, as CPython's None).
func (s *Socket) RecvFrom(bufsize int, flags ...MsgFlag) ([]byte, Addr, error) {
	if bufsize < 0 || bufsize > maxBufsize {
		return nil, nil, valueErr("recvfrom", "buffersize out of range")
	}
	buf := make([]byte, bufsize)
	n, addr, err := s.RecvFromInto(buf, flags...)
	return received(buf, n), addr, err
}

// RecvFromInto wraps recvfrom(2) into the caller's buffer: the byte count
// and the sender's address. With MSG_TRUNC on a datagram socket the count
// is the datagram's full length, which may exceed len(buf).
func (s *Socket) RecvFromInto(buf []byte, flags ...MsgFlag) (int, Addr, error) {
	fl := orFlags(flags)
	once, err := s.begin("recvfrom_into", false, fl)
	if err != nil {
		return 0, nil, err
	}
	var n int
	var from Addr
	perr, serr := s.doRead(once, func(fd int) (err error) {
		n, from, err = recvFrom(fd, buf, int(fl), s.family)
		return err
	})
	if err := s.wrapErr("recvfrom", "recvfrom", perr, serr, nil); err != nil {
		return 0, nil, err
	}
	return n, from, nil
}
