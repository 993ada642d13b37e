package conn

import (
	"os"
	"time"

	"golang.org/x/sys/windows"
)

// SetDeadline sets the net.Conn read and write deadlines; the zero time
// means none. It combines with the timeout: a call waits until the earlier.
func (s *Socket) SetDeadline(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rd.set(s.rd.call, t)
	s.wr.set(s.wr.call, t)
	return nil
}

// SetReadDeadline sets the net.Conn read deadline (see SetDeadline).
func (s *Socket) SetReadDeadline(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rd.set(s.rd.call, t)
	return nil
}

// SetWriteDeadline sets the net.Conn write deadline (see SetDeadline).
func (s *Socket) SetWriteDeadline(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wr.set(s.wr.call, t)
	return nil
}

// setDirect does nothing: on Windows every call takes the overlapped path.
func (s *Socket) setDirect() {}

// set changes the deadlines and wakes the waiting call to look again;
// Socket.mu is held.
func (d *direction) set(call, user time.Time) {
	d.call, d.user = call, user
	close(d.changed)
	d.changed = make(chan struct{})
}

// deadline is the earlier of the two deadlines, zero if neither is set.
func (d *direction) deadline() time.Time {
	switch {
	case d.call.IsZero():
		return d.user
	case d.user.IsZero() || d.call.Before(d.user):
		return d.call
	}
	return d.user
}

func (s *Socket) dir(write bool) *direction {
	if write {
		return &s.wr
	}
	return &s.rd
}

// begin prepares one call in direction write (or read): in timeout mode it
// sets the call's deadline to now+timeout. It reports whether the call must
// not wait (timeout 0), and fails at once with a timeout error if the
// deadline has already passed.
func (s *Socket) begin(op string, write bool, _ MsgFlag) (once bool, err error) {
	d := s.dir(write)
	s.mu.Lock()
	t := s.timeout
	switch {
	case t > 0:
		d.set(time.Now().Add(t), d.user)
	case !d.call.IsZero():
		// A call of the timeout mode left its deadline: SetTimeout does not
		// take it back, so that a call still waiting under it keeps it.
		d.set(time.Time{}, d.user)
	}
	dl := d.deadline()
	s.mu.Unlock()
	if t != 0 && !dl.IsZero() && !time.Now().Before(dl) {
		return false, &OpError{Op: op, Family: s.family, Err: os.ErrDeadlineExceeded}
	}
	return t == 0, nil
}

// await waits for the posted operation o of direction d to complete. It
// returns nil once it has (the caller reads the outcome with o.result), os.ErrDeadlineExceeded when the deadline passed
// first, and net.ErrClosed when Close came first; in the last two cases
// the operation is cancelled and its completion awaited, and an operation
// that completed anyway counts as done (nil).
func (s *Socket) await(d *direction, o *ioOp) error {
	for {
		s.mu.Lock()
		dl, changed := d.deadline(), d.changed
		s.mu.Unlock()
		var timer *time.Timer
		var expired <-chan time.Time
		if !dl.IsZero() {
			wait := time.Until(dl)
			if wait <= 0 {
				return s.cancel(d, o, os.ErrDeadlineExceeded)
			}
			timer = time.NewTimer(wait)
			expired = timer.C
		}
		select {
		case <-o.done:
			stopTimer(timer)
			return nil
		case <-expired:
			return s.cancel(d, o, os.ErrDeadlineExceeded)
		case <-changed:
			stopTimer(timer)
		case <-s.closing:
			stopTimer(timer)
			return s.cancel(d, o, errClosed)
		}
	}
}

func stopTimer(t *time.Timer) {
	if t != nil {
		t.Stop()
	}
}

// cancel stops o with CancelIoEx and waits for its completion. It returns
// why, or nil if the operation had completed successfully after all.
func (s *Socket) cancel(d *direction, o *ioOp, why error) error {
	windows.CancelIoEx(s.h, &o.ov)
	select {
	case <-o.done:
	case <-time.After(cancelWait):
		// The kernel still owns o: keep it forever, give d a fresh one.
		iocp.mu.Lock()
		iocp.abandoned = append(iocp.abandoned, o)
		iocp.mu.Unlock()
		d.op = newIOOp()
		return why
	}
	if _, err := o.result(s.h); err != windows.ERROR_OPERATION_ABORTED {
		return nil // it finished (or failed on its own) before the cancel
	}
	return why
}
