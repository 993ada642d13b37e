//go:build unix

package conn

import (
	"math"
	"sync/atomic"
	"time"
)

// NoTimeout is the timeout of blocking mode (Python's None).
const NoTimeout time.Duration = math.MinInt64

// maxTimeout is where huge timeouts are clamped (about 100 years).
const maxTimeout = 100 * 365 * 24 * time.Hour

var defaultTimeout atomic.Int64

func init() { defaultTimeout.Store(int64(NoTimeout)) }

// DefaultTimeout returns the timeout new sockets start with; NoTimeout
// unless SetDefaultTimeout changed it.
func DefaultTimeout() time.Duration { return time.Duration(defaultTimeout.Load()) }

// SetDefaultTimeout sets the timeout new sockets start with, process-wide.
// NoTimeout means blocking; other negative values are an error; huge values
// are clamped.
func SetDefaultTimeout(d time.Duration) error {
	d, err := checkTimeout("setdefaulttimeout", d)
	if err != nil {
		return err
	}
	defaultTimeout.Store(int64(d))
	return nil
}

// TimeoutSeconds converts a timeout in seconds, as Python takes it, to a
// Duration: NaN and negative values are an error, huge ones are clamped.
func TimeoutSeconds(sec float64) (time.Duration, error) {
	if math.IsNaN(sec) {
		return 0, valueErr("settimeout", "timeout is NaN")
	}
	if sec < 0 {
		return 0, valueErr("settimeout", "timeout value out of range")
	}
	if sec >= maxTimeout.Seconds() {
		return maxTimeout, nil
	}
	return time.Duration(sec * float64(time.Second)), nil
}

func checkTimeout(op string, d time.Duration) (time.Duration, error) {
	switch {
	case d == NoTimeout:
		return d, nil
	case d < 0:
		return 0, valueErr(op, "timeout value out of range")
	case d > maxTimeout:
		return maxTimeout, nil
	}
	return d, nil
}

// Timeout returns the socket's timeout: NoTimeout (blocking), 0
// (non-blocking) or the time each call may wait.
func (s *Socket) Timeout() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.timeout
}

// SetTimeout sets the socket's mode: NoTimeout blocks, 0 never waits, d > 0
// waits at most d per call. Other negative values are an error. A call
// already waiting continues under the new mode's deadline.
func (s *Socket) SetTimeout(d time.Duration) error {
	d, err := checkTimeout("settimeout", d)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.timeout = d
	if d <= 0 {
		// Drop any per-call deadline left by timeout mode.
		return s.applyDeadlines()
	}
	return nil
}

// Blocking reports whether calls may wait: the timeout is not 0.
func (s *Socket) Blocking() bool { return s.Timeout() != 0 }

// SetBlocking(true) is SetTimeout(NoTimeout); SetBlocking(false) is
// SetTimeout(0).
func (s *Socket) SetBlocking(blocking bool) error {
	if blocking {
		return s.SetTimeout(NoTimeout)
	}
	return s.SetTimeout(0)
}

// SetDeadline sets the net.Conn read and write deadlines; the zero time
// means none. It combines with the timeout: a call waits until the earlier.
func (s *Socket) SetDeadline(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rdl, s.wdl = t, t
	return s.applyDeadlines()
}

// SetReadDeadline sets the net.Conn read deadline (see SetDeadline).
func (s *Socket) SetReadDeadline(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rdl = t
	return s.wrapDeadlineErr(s.f.SetReadDeadline(t))
}

// SetWriteDeadline sets the net.Conn write deadline (see SetDeadline).
func (s *Socket) SetWriteDeadline(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wdl = t
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
