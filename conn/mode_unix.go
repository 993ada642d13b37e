//go:build unix

package conn

import "time"

// SetDeadline sets the net.Conn read and write deadlines; the zero time
// means none. It combines with the timeout: a call waits until the earlier.
func (s *Socket) SetDeadline(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rdl, s.wdl = t, t
	s.setDirect()
	return s.applyDeadlines()
}

// SetReadDeadline sets the net.Conn read deadline (see SetDeadline).
func (s *Socket) SetReadDeadline(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rdl = t
	s.setDirect()
	return s.wrapDeadlineErr(s.f.SetReadDeadline(t))
}

// SetWriteDeadline sets the net.Conn write deadline (see SetDeadline).
func (s *Socket) SetWriteDeadline(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wdl = t
	s.setDirect()
	return s.wrapDeadlineErr(s.f.SetWriteDeadline(t))
}

// applyDeadlines puts the net.Conn deadlines on the file; s.mu is held.
func (s *Socket) applyDeadlines() error {
	if err := s.f.SetReadDeadline(s.rdl); err != nil {
		return s.wrapDeadlineErr(err)
	}
	return s.wrapDeadlineErr(s.f.SetWriteDeadline(s.wdl))
}

func (s *Socket) wrapDeadlineErr(err error) error {
	if err == nil {
		return nil
	}
	return s.wrapErr("setdeadline", "", err, nil, nil)
}

// begin prepares one call in direction write (or read): in timeout mode it
// arms the file deadline now+timeout (or the net.Conn deadline if earlier).
// It reports whether the call must not wait (timeout 0, or MSG_DONTWAIT).
func (s *Socket) begin(op string, write bool, flags MsgFlag) (once bool, err error) {
	s.mu.Lock()
	t := s.timeout
	if t > 0 {
		dl, user := time.Now().Add(t), s.rdl
		if write {
			user = s.wdl
		}
		if !user.IsZero() && user.Before(dl) {
			dl = user
		}
		if write {
			err = s.f.SetWriteDeadline(dl)
		} else {
			err = s.f.SetReadDeadline(dl)
		}
	}
	s.mu.Unlock()
	if err != nil {
		return false, s.wrapErr(op, "", err, nil, nil)
	}
	return t == 0 || flags&MSG_DONTWAIT != 0, nil
}
