//go:build unix || windows

package conn

import (
	"math"
	"sync/atomic"
	"time"
)

// NoTimeout is the timeout of blocking mode (Python's None).
const NoTimeout time.Duration = math.MinInt64

var defaultTimeout atomic.Int64

func init() { defaultTimeout.Store(int64(NoTimeout)) }

// DefaultTimeout returns the timeout new sockets start with; NoTimeout
// unless SetDefaultTimeout changed it.
func DefaultTimeout() time.Duration { return time.Duration(defaultTimeout.Load()) }

// SetDefaultTimeout sets the timeout new sockets start with, process-wide.
// NoTimeout means blocking; other negative values are an error.
func SetDefaultTimeout(d time.Duration) error {
	if err := checkTimeout("setdefaulttimeout", d); err != nil {
		return err
	}
	defaultTimeout.Store(int64(d))
	return nil
}

// TimeoutSeconds converts a timeout in seconds, as Python takes it, to a
// Duration, rounding a fraction of a nanosecond up as CPython does (so a
// tiny positive timeout does not become non-blocking mode). NaN, negative
// values and values a Duration cannot hold (about 292 years and more,
// infinity) are an error, as CPython refuses them.
func TimeoutSeconds(sec float64) (time.Duration, error) {
	ns := math.Ceil(sec * float64(time.Second))
	switch {
	case math.IsNaN(sec):
		return 0, valueErr("settimeout", "timeout is NaN")
	case sec < 0:
		return 0, valueErr("settimeout", "timeout value out of range")
	case ns >= 1<<63:
		return 0, valueErr("settimeout", "timeout too large for a time.Duration")
	}
	return time.Duration(ns), nil
}

// checkTimeout refuses negative timeouts other than NoTimeout.
func checkTimeout(op string, d time.Duration) error {
	if d < 0 && d != NoTimeout {
		return valueErr(op, "timeout value out of range")
	}
	return nil
}

// Timeout returns the socket's timeout: NoTimeout (blocking), 0
// (non-blocking) or the time each call may wait.
func (s *Socket) Timeout() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.timeout
}

// SetTimeout sets the socket's mode: NoTimeout blocks, 0 never waits, d > 0
// waits at most d per call, however large d is (Timeout reports it as
// given). Other negative values are an error. A call already waiting
// keeps the deadline it began with, as CPython's does.
func (s *Socket) SetTimeout(d time.Duration) error {
	if err := checkTimeout("settimeout", d); err != nil {
		return err
	}
	if s.closed.Load() {
		return &OpError{Op: "settimeout", Family: s.family, Err: errClosed}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.timeout = d
	s.setDirect()
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
