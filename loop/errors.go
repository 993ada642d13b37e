package loop

import (
	"errors"
	"fmt"
	"net"
	"os"
)

var (
	// ErrEngineStopped is the reason a connection was closed by Stop, and the
	// error of calls on an engine that stopped.
	ErrEngineStopped = errors.New("loop: engine stopped")
	// ErrEngineRunning is returned by calls that must precede Start.
	ErrEngineRunning = errors.New("loop: engine already started")
	// ErrNilHandler is returned by New and Serve given a nil Handler.
	ErrNilHandler = errors.New("loop: nil handler")
	// ErrNoInput is returned by Conn.Read with nothing buffered before the
	// peer has finished sending: more input arrives with a later OnTraffic.
	ErrNoInput = errors.New("loop: no input buffered")
	// ErrNotConnected is the error inside the *net.OpError of writes on a
	// connection that has closed or is closing, and what callbacks of its
	// dropped output receive; it matches net.ErrClosed too.
	ErrNotConnected error = closedError{}
	// ErrReadTimeout closes a connection that received nothing for its read timeout.
	ErrReadTimeout error = &timeoutError{"read"}
	// ErrWriteTimeout closes a connection whose output made no progress for its write timeout.
	ErrWriteTimeout error = &timeoutError{"write"}
	// ErrIdleTimeout closes a connection that neither read nor wrote for its idle timeout.
	ErrIdleTimeout error = &timeoutError{"idle"}
	// ErrCloseLinger closes a connection whose output did not drain within the
	// grace period after Close.
	ErrCloseLinger error = &timeoutError{"close linger"}
	// ErrDialTimeout fails a dial that did not connect within
	// WithDialTimeout, inside its *net.OpError.
	ErrDialTimeout error = &timeoutError{"dial"}
	// ErrAborted is the reason OnClose receives for Abort(nil).
	ErrAborted = errors.New("loop: connection aborted")
)

// closedError is ErrNotConnected.
type closedError struct{}

func (closedError) Error() string { return "loop: connection closed" }

func (closedError) Is(target error) bool { return target == net.ErrClosed }

// timeoutError is a deadline that passed; it matches os.ErrDeadlineExceeded
// so that callers need not know which of the loop's timeouts fired.
type timeoutError struct{ what string }

func (e *timeoutError) Error() string   { return "loop: " + e.what + " timeout" }
func (e *timeoutError) Timeout() bool   { return true }
func (e *timeoutError) Temporary() bool { return false }

func (e *timeoutError) Is(target error) bool { return target == os.ErrDeadlineExceeded }

// OutputDroppedError is the reason given to OnClose when a connection
// closed with output it had not sent: Bytes not confirmed sent were dropped
// (a send operation in flight counts all it carries), and the socket was
// reset rather than closed in order, so that the peer sees an error and not
// a clean end of a stream that lost its tail. It unwraps to the cause of
// the close (ErrCloseLinger, ErrWriteTimeout, ErrEngineStopped, ...).
type OutputDroppedError struct {
	Bytes int
	Err   error
}

func (e *OutputDroppedError) Error() string {
	return fmt.Sprintf("loop: %d bytes of output dropped: %v", e.Bytes, e.Err)
}

func (e *OutputDroppedError) Unwrap() error { return e.Err }

// StopError reports a stop that could not close every connection in order:
// Forced connections were still open when the stop's context ended and
// were closed then; Dropped connections were closed with output they had
// not sent (and were reset). Err is why: the stop's context's error, or
// ErrCloseLinger.
type StopError struct {
	Forced  int
	Dropped int
	Err     error
}

func (e *StopError) Error() string {
	return fmt.Sprintf("loop: stop: %d connections closed by force, %d with output unsent: %v", e.Forced, e.Dropped, e.Err)
}

func (e *StopError) Unwrap() error { return e.Err }

// AddrError reports an address the engine cannot listen on or dial; Err is
// the cause, such as the resolver's *net.DNSError.
type AddrError struct {
	Addr string
	Err  error
}

func (e *AddrError) Error() string { return "loop: address " + e.Addr + ": " + e.Err.Error() }

func (e *AddrError) Unwrap() error { return e.Err }

// OptionError reports an option value that cannot be used.
type OptionError struct {
	Option string
	Err    error
}

func (e *OptionError) Error() string { return "loop: option " + e.Option + ": " + e.Err.Error() }

func (e *OptionError) Unwrap() error { return e.Err }
