package loop

import "time"

// Action tells the loop what to do after a callback returns.
type Action int

const (
	// None continues as usual.
	None Action = iota
	// Close closes the connection once its queued output is flushed.
	Close
	// Shutdown stops the whole engine, as Stop does.
	Shutdown
)

// Handler receives the events of an engine. All callbacks for one connection
// run on that connection's loop goroutine.
type Handler interface {
	// OnBoot runs once before the loops start; Shutdown cancels the start.
	OnBoot(e *Engine) Action
	// OnOpen runs when a connection is accepted, dialed or adopted; out is
	// queued before anything else is written.
	OnOpen(c *Conn) (out []byte, action Action)
	// OnTraffic runs when bytes arrive (for datagram sockets: once per
	// datagram), and never again once it, or anything else, asked for the
	// connection's close.
	OnTraffic(c *Conn) Action
	// OnClose runs once when a connection closes; err is nil after an orderly
	// close by either side and the cause otherwise: an *OutputDroppedError,
	// wrapping the cause, when output had to be dropped (the peer then saw
	// a reset).
	OnClose(c *Conn, err error) Action
	// OnTick runs on the first loop when WithTicker is set; it returns the
	// delay before the next tick, and a delay <= 0 stops ticking.
	OnTick() (delay time.Duration, action Action)
	// OnShutdown runs once after every loop has ended.
	OnShutdown(e *Engine)
}

// ReadEOFHandler is implemented by handlers that keep a connection open for
// writing after its peer has finished sending (a half-close), as proxies do.
// Without it, end of input closes the connection once its output is flushed.
type ReadEOFHandler interface {
	OnReadEOF(c *Conn) Action
}

// DrainHandler is implemented by handlers that want to know when a
// connection's queued output, having passed the high-water mark (even only
// until the flush at the end of a callback), has fallen to the low-water
// mark: a relay that paused the other side resumes it then.
type DrainHandler interface {
	OnDrain(c *Conn) Action
}

// TimeoutHandler is implemented by handlers that want a say when one of a
// connection's timeouts expires (err is ErrReadTimeout, ErrWriteTimeout or
// ErrIdleTimeout). OnTimeout may write a last message (an HTTP 408) and
// return Close: the connection closes once that output is flushed, bounded
// by WithCloseLinger, and OnClose receives err. None keeps the connection,
// with the expired clock started again; Shutdown stops the engine. Without
// it a timeout closes the connection at once, dropping queued output.
type TimeoutHandler interface {
	OnTimeout(c *Conn, err error) Action
}

// DialErrorHandler is implemented by handlers that want a failed dial
// reported as such: OnDialError runs, instead of OnClose, for a connection
// from Dial or DialContext that never opened (refused, unreachable, its
// context ended, the engine stopped), with the reason.
type DialErrorHandler interface {
	OnDialError(c *Conn, err error) Action
}

// StopHandler is implemented by handlers that finish their work before a
// stop closes their connections. When the engine begins to stop (Stop, a
// Shutdown action, the end of Start's context) it stops accepting and runs
// OnStop on every open stream connection, and on each that opens later
// (a dial or an accept already under way) right after its OnOpen. Close
// closes the connection once its output is flushed; None keeps it serving
// until the handler closes it (at a request boundary: Loop.Stopping tells
// callbacks that a stop is under way) or the stop's context ends and Stop
// closes it by force. Without it, every connection closes once its queued
// output is flushed. Loop.Dial still works on a stopping loop.
type StopHandler interface {
	OnStop(c *Conn) Action
}

// BaseHandler implements every Handler method as a no-op; embed it and
// override what you need.
type BaseHandler struct{}

func (BaseHandler) OnBoot(*Engine) Action           { return None }
func (BaseHandler) OnOpen(*Conn) ([]byte, Action)   { return nil, None }
func (BaseHandler) OnTraffic(*Conn) Action          { return None }
func (BaseHandler) OnClose(*Conn, error) Action     { return None }
func (BaseHandler) OnTick() (time.Duration, Action) { return 0, None }
func (BaseHandler) OnShutdown(*Engine)              {}
