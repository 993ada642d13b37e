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

// setFileDeadline sets the file's write (or read) deadline; s.mu is held.
func (s *Socket) setFileDeadline(write bool, t time.Time) error {
	if write {
		return s.f.SetWriteDeadline(t)
	}
	return s.f.SetReadDeadline(t)
}

// begin prepares one call in direction write (or read): in timeout mode it
// arms the file deadline now+timeout (or the net.Conn deadline if earlier);
// in the others it puts back the net.Conn deadline a timeout-mode call
// replaced.
// It reports whether the call must not wait (timeout 0, or MSG_DONTWAIT).
func (s *Socket) begin(op string, write bool, flags MsgFlag) (once bool, err error) {
	s.mu.Lock()
	t := s.timeout
	user, call := s.rdl, &s.rcall
	if write {
		user, call = s.wdl, &s.wcall
	}
	switch {
	case t > 0:
		dl := time.Now().Add(t)
		if !user.IsZero() && user.Before(dl) {
			dl = user
		}
		err = s.setFileDeadline(write, dl)
		*call = true
	case *call:
		// A call of the timeout mode left its deadline: SetTimeout does not
		// take it back, so that a call still waiting under it keeps it.
		err = s.setFileDeadline(write, user)
		*call = false
	}
	s.mu.Unlock()
	if err != nil {
		return false, s.wrapErr(op, "", err, nil, nil)
	}
	return t == 0 || flags&MSG_DONTWAIT != 0, nil
}
