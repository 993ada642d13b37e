package netconn

import (
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sockloop/sockloop/loop"
)

// Handler is a loop.Handler that serves connections as net.Conns: those
// accepted on an address given to Listener, those dialed with DialContext,
// and those that next hands over with Conn. It passes every callback for
// the other connections, and the engine's own, to next; with a nil next,
// an accepted connection that no Listener claims is closed.
//
// A Handler serves one engine. It implements loop's optional callbacks
// (ReadEOFHandler, DrainHandler, TimeoutHandler, DialErrorHandler,
// LoopTickHandler, StopHandler) to serve its own connections and passes
// them on where next implements them; where next does not, next's
// connections get the engine's default behaviour, with these differences:
// a connection whose timeout expires closes after its queued output is
// flushed (bounded by WithCloseLinger), as OnTimeout returning loop.Close
// asks, rather than at once; at the peer's end of input, input next left
// unconsumed is offered to next's OnTraffic before the connection closes;
// and while the engine stops, connections still being accepted or dialed
// open (and are closed at once), as they do under a StopHandler.
type Handler struct {
	next        loop.Handler
	onReadEOF   loop.ReadEOFHandler
	onDrain     loop.DrainHandler
	onTimeout   loop.TimeoutHandler
	onDialError loop.DialErrorHandler
	onLoopTick  loop.LoopTickHandler
	onStop      loop.StopHandler

	engine   atomic.Pointer[loop.Engine]
	stopped  chan struct{} // closed once the engine has stopped
	stopOnce sync.Once

	mu        sync.Mutex
	listeners map[string]*Listener // by the address's network and text
}

var (
	_ loop.Handler          = (*Handler)(nil)
	_ loop.ReadEOFHandler   = (*Handler)(nil)
	_ loop.DrainHandler     = (*Handler)(nil)
	_ loop.TimeoutHandler   = (*Handler)(nil)
	_ loop.DialErrorHandler = (*Handler)(nil)
	_ loop.LoopTickHandler  = (*Handler)(nil)
	_ loop.StopHandler      = (*Handler)(nil)
)

// NewHandler returns a Handler that passes the connections it does not
// serve to next (nil: none).
func NewHandler(next loop.Handler) *Handler {
	h := &Handler{next: next, stopped: make(chan struct{}), listeners: map[string]*Listener{}}
	h.onReadEOF, _ = next.(loop.ReadEOFHandler)
	h.onDrain, _ = next.(loop.DrainHandler)
	h.onTimeout, _ = next.(loop.TimeoutHandler)
	h.onDialError, _ = next.(loop.DialErrorHandler)
	h.onLoopTick, _ = next.(loop.LoopTickHandler)
	h.onStop, _ = next.(loop.StopHandler)
	return h
}

// Listener returns the net.Listener whose Accept returns the connections
// the engine accepts on addr, an address that Engine.Listen (or ListenNet,
// ListenFD, ListenSystemd) returned. Call it before the engine starts: a
// connection accepted on addr before is served as no Listener claimed it.
// Calls with the same address return the same Listener.
func (h *Handler) Listener(addr net.Addr) *Listener {
	h.mu.Lock()
	defer h.mu.Unlock()
	k := addrKey(addr)
	ln := h.listeners[k]
	if ln == nil {
		ln = newListener(h, addr)
		h.listeners[k] = ln
	}
	return ln
}

// listenerFor returns the Listener that claims connections accepted on
// addr, or nil.
func (h *Handler) listenerFor(addr net.Addr) *Listener {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.listeners[addrKey(addr)]
}

func addrKey(a net.Addr) string { return a.Network() + " " + a.String() }

// Conn hands c over to goroutine code as a net.Conn, with the input next
// left unconsumed as the first bytes to read. Call it on c's loop, from
// next's OnOpen or OnTraffic for c; from then on the Handler serves c and
// next sees no more of it, and c's Context belongs to the Handler. A
// second call returns the same Conn.
func (h *Handler) Conn(c *loop.Conn) *Conn {
	if nc := h.owned(c); nc != nil {
		return nc
	}
	nc := newConn(h, c)
	nc.onTraffic(c)
	return nc
}

// owned returns the Conn that serves c, nil when next does.
func (h *Handler) owned(c *loop.Conn) *Conn {
	if nc, ok := c.Context().(*Conn); ok && nc.h == h {
		return nc
	}
	return nil
}

// OnBoot records the engine, which a Handler serves alone, and passes the
// call on; a second engine's start is refused.
func (h *Handler) OnBoot(e *loop.Engine) loop.Action {
	if !h.engine.CompareAndSwap(nil, e) {
		return loop.Shutdown
	}
	if h.next == nil {
		return loop.None
	}
	a := h.next.OnBoot(e)
	if a == loop.Shutdown {
		// The engine will not run, nor call OnShutdown: Accept must not wait.
		h.stopOnce.Do(func() { close(h.stopped) })
	}
	return a
}

// OnOpen gives a dialed connection to its dialer, an accepted one to its
// Listener's Accept, and others to next.
func (h *Handler) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	if d, ok := c.Context().(*dialing); ok && d.h == h {
		d.opened(newConn(h, c))
		return nil, loop.None
	}
	if a := c.Listener(); a != nil {
		if ln := h.listenerFor(a); ln != nil {
			return nil, ln.offer(newConn(h, c))
		}
	}
	if h.next == nil {
		return nil, loop.Close
	}
	return h.next.OnOpen(c)
}

// OnTraffic moves a Conn's input to its readers, and passes others on.
func (h *Handler) OnTraffic(c *loop.Conn) loop.Action {
	if nc := h.owned(c); nc != nil {
		nc.onTraffic(c)
		return loop.None
	}
	if h.next == nil {
		return loop.None
	}
	return h.next.OnTraffic(c)
}

// OnReadEOF keeps a Conn open for writing after its peer's end of input,
// as a *net.TCPConn stays, and passes others on.
func (h *Handler) OnReadEOF(c *loop.Conn) loop.Action {
	if nc := h.owned(c); nc != nil {
		nc.onEOF()
		return loop.None
	}
	if h.onReadEOF != nil {
		return h.onReadEOF.OnReadEOF(c)
	}
	// The engine's default: close once flushed, after one last look at
	// input left unconsumed.
	if h.next != nil && c.InboundBuffered() > 0 {
		if a := h.next.OnTraffic(c); a == loop.Shutdown {
			return a
		}
	}
	return loop.Close
}

// OnClose wakes a Conn's blocked calls with the reason, and passes others on.
func (h *Handler) OnClose(c *loop.Conn, err error) loop.Action {
	if nc := h.owned(c); nc != nil {
		nc.onClose(err)
		return loop.None
	}
	if h.next == nil {
		return loop.None
	}
	return h.next.OnClose(c, err)
}

// OnDrain passes the call on for next's connections; a Conn's writers
// follow their own bytes (Write).
func (h *Handler) OnDrain(c *loop.Conn) loop.Action {
	if h.onDrain != nil && h.owned(c) == nil {
		return h.onDrain.OnDrain(c)
	}
	return loop.None
}

// OnTimeout closes a Conn whose engine-wide timeout expired once its
// output is flushed; its calls then fail with the timeout. It passes
// others on, or closes them likewise.
func (h *Handler) OnTimeout(c *loop.Conn, err error) loop.Action {
	if h.onTimeout != nil && h.owned(c) == nil {
		return h.onTimeout.OnTimeout(c, err)
	}
	return loop.Close
}

// OnDialError fails a DialContext, and passes others on: to next's
// OnDialError, or else its OnClose, as the engine would.
func (h *Handler) OnDialError(c *loop.Conn, err error) loop.Action {
	if d, ok := c.Context().(*dialing); ok && d.h == h {
		d.failed(err)
		return loop.None
	}
	switch {
	case h.onDialError != nil:
		return h.onDialError.OnDialError(c, err)
	case h.next != nil:
		return h.next.OnClose(c, err)
	}
	return loop.None
}

// OnTick passes the call on.
func (h *Handler) OnTick() (time.Duration, loop.Action) {
	if h.next == nil {
		return 0, loop.None
	}
	return h.next.OnTick()
}

// OnLoopTick passes the call on; without a LoopTickHandler to pass it to,
// it stops the ticks.
func (h *Handler) OnLoopTick(l *loop.Loop) (time.Duration, loop.Action) {
	if h.onLoopTick == nil {
		return 0, loop.None
	}
	return h.onLoopTick.OnLoopTick(l)
}

// OnStop closes a Conn once its output is flushed when the engine begins
// to stop, with loop.ErrEngineStopped as the reason its calls then fail
// with (goroutine code cannot be told to finish first; shut an
// http.Server down before the engine for a graceful drain). It passes
// others on, or closes them likewise, as the engine would.
func (h *Handler) OnStop(c *loop.Conn) loop.Action {
	if h.onStop != nil && h.owned(c) == nil {
		return h.onStop.OnStop(c)
	}
	c.CloseWithError(loop.ErrEngineStopped)
	return loop.None
}

// OnShutdown ends blocked Accept calls and passes the call on.
func (h *Handler) OnShutdown(e *loop.Engine) {
	h.stopOnce.Do(func() { close(h.stopped) })
	if h.next != nil {
		h.next.OnShutdown(e)
	}
}
