package loop

import (
	"errors"
	"os"
)

var (
	// ErrEngineStopped is the reason a connection was closed by Stop, and the
	// error of calls on an engine that stopped.
	ErrEngineStopped = errors.New("loop: engine stopped")
	// ErrEngineRunning is returned by calls that must precede Start.
	ErrEngineRunning = errors.New("loop: engine already started")
	// ErrNotConnected is returned by writes on a connection that has closed.
	ErrNotConnected = errors.New("loop: connection closed")
	// ErrReadTimeout closes a connection that received nothing for its read timeout.
	ErrReadTimeout error = &timeoutError{"read"}
	// ErrWriteTimeout closes a connection whose output made no progress for its write timeout.
	ErrWriteTimeout error = &timeoutError{"write"}
	// ErrIdleTimeout closes a connection that neither read nor wrote for its idle timeout.
	ErrIdleTimeout error = &timeoutError{"idle"}
	// ErrCloseLinger closes a connection whose output did not drain within the
	// grace period after Close.
	ErrCloseLinger error = &timeoutError{"close linger"}
)

// timeoutError is a deadline that passed; it matches os.ErrDeadlineExceeded
// so that callers need not know which of the loop's timeouts fired.
type timeoutError struct{ what string }

func (e *timeoutError) Error() string   { return "loop: " + e.what + " timeout" }
func (e *timeoutError) Timeout() bool   { return true }
func (e *timeoutError) Temporary() bool { return false }

func (e *timeoutError) Is(target error) bool { return target == os.ErrDeadlineExceeded }

// AddrError reports an address the engine cannot listen on or dial.
type AddrError struct {
	Addr string
	Err  string
}

func (e *AddrError) Error() string { return "loop: address " + e.Addr + ": " + e.Err }

// OptionError reports an option value that cannot be used.
type OptionError struct {
	Option string
	Err    string
}

func (e *OptionError) Error() string { return "loop: option " + e.Option + ": " + e.Err }
