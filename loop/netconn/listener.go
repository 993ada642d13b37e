package netconn

import (
	"context"
	"net"
	"sync"

	"github.com/sockloop/sockloop/loop"
)

// acceptBacklog bounds the connections accepted and not yet taken by
// Accept, as listen(2)'s backlog bounds the kernel's queue; the loops
// accept on, and close what does not fit.
const acceptBacklog = 4096

// Listener is a net.Listener for the connections an engine accepts on one
// address: Accept returns them as *Conn.
type Listener struct {
	h     *Handler
	addr  net.Addr
	queue chan *Conn

	mu     sync.Mutex
	closed bool
	done   chan struct{} // closed by Close
	owner  *loop.Engine  // Listen's engine, stopped after the listener and its connections close
	live   int           // connections queued or accepted and not yet closed, with an owner
}

var _ net.Listener = (*Listener)(nil)

func newListener(h *Handler, addr net.Addr) *Listener {
	return &Listener{h: h, addr: addr, queue: make(chan *Conn, acceptBacklog), done: make(chan struct{})}
}

// Listen starts an engine, with opts, listening on addr ("tcp://host:port",
// "tcp4://", "tcp6://", "unix:///path") and returns a Listener for its
// connections, on which goroutine-style code (http.Server's Serve,
// tls.NewListener) runs unchanged. Closing the Listener closes the
// engine's listening socket; the engine stops once every connection it
// accepted has closed too, or when ctx ends.
func Listen(ctx context.Context, addr string, opts ...loop.Option) (*Listener, error) {
	h := NewHandler(nil)
	e, err := loop.New(h, opts...)
	if err != nil {
		return nil, err
	}
	a, err := e.Listen(addr)
	if err != nil {
		e.Stop(ctx)
		return nil, err
	}
	ln := h.Listener(a)
	ln.owner = e
	if err := e.Start(ctx); err != nil {
		return nil, err
	}
	return ln, nil
}

// Accept waits for a connection and returns it (a *Conn). It fails with
// an error matching net.ErrClosed once the Listener is closed, and with
// one matching loop.ErrEngineStopped (and net.ErrClosed) once the engine
// has stopped.
func (ln *Listener) Accept() (net.Conn, error) {
	select {
	case <-ln.done:
		return nil, ln.opError(net.ErrClosed)
	default:
	}
	select {
	case c := <-ln.queue:
		return c, nil
	case <-ln.done:
		return nil, ln.opError(net.ErrClosed)
	case <-ln.h.stopped:
		return nil, ln.opError(stoppedError{})
	}
}

// Close stops Accept and closes the connections accepted and not yet
// returned by it; connections Accept returned stay open. Listen's engine
// stops accepting; a Handler's engine, which may listen elsewhere too,
// goes on accepting on the address and closes what it accepts there. A
// second Close returns an error matching net.ErrClosed.
func (ln *Listener) Close() error {
	ln.mu.Lock()
	if ln.closed {
		ln.mu.Unlock()
		return ln.opError(net.ErrClosed)
	}
	ln.closed = true
	close(ln.done)
	idle := ln.live == 0
	ln.mu.Unlock()
	if ln.owner != nil {
		// Its one listener: the address is free once Close returns. An
		// engine that stopped has closed it already.
		ln.owner.StopAccepting()
	}
	for {
		select {
		case c := <-ln.queue:
			c.Close()
		default:
			if idle {
				ln.stopOwner()
			}
			return nil
		}
	}
}

// Addr returns the address the Listener's connections are accepted on.
func (ln *Listener) Addr() net.Addr { return ln.addr }

// Engine returns the engine Listen started, nil for a Listener obtained
// from a Handler.
func (ln *Listener) Engine() *loop.Engine { return ln.owner }

// offer queues c, on its loop, for Accept; the action closes it when the
// Listener is closed or its queue is full.
func (ln *Listener) offer(c *Conn) loop.Action {
	ln.mu.Lock()
	defer ln.mu.Unlock()
	if ln.closed {
		return loop.Close
	}
	c.ln = ln
	select {
	case ln.queue <- c:
		ln.live++
		return loop.None
	default:
		c.ln = nil
		return loop.Close
	}
}

// release counts off a connection that closed.
func (ln *Listener) release() {
	ln.mu.Lock()
	ln.live--
	idle := ln.closed && ln.live == 0
	ln.mu.Unlock()
	if idle {
		ln.stopOwner()
	}
}

// stopOwner stops Listen's engine, in the background: it may be called on
// one of the engine's loops, which Stop waits for.
func (ln *Listener) stopOwner() {
	if ln.owner != nil {
		go ln.owner.Stop(context.Background())
	}
}

func (ln *Listener) opError(err error) error {
	return &net.OpError{Op: "accept", Net: ln.addr.Network(), Addr: ln.addr, Err: err}
}
