package netconn

import (
	"context"
	"net"
)

// dialing is a DialContext waiting for its connection: the dialed
// loop.Conn's Context until it opens.
type dialing struct {
	h    *Handler
	conn *Conn
	err  error
	done chan struct{}
}

// DialContext connects to address from the Handler's engine and returns
// the connection as a net.Conn (a *Conn) once it is open; its signature is
// net.Dialer's, so that an http.Transport can dial through the loops.
// network is tcp, tcp4, tcp6 or unix; ctx bounds the name's resolution and
// the connect. It fails with the engine's error (a *net.OpError) when the
// connection does not open, and before the engine has started.
func (h *Handler) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	e := h.engine.Load()
	if e == nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: errNotStarted}
	}
	d := &dialing{h: h, done: make(chan struct{})}
	if _, err := e.DialContext(ctx, network, address, d); err != nil {
		return nil, err
	}
	// The engine reports every dial, ctx's end and its own stop included;
	// waiting on ctx here as well could return while the connection opens.
	// Once the engine has stopped no report can come: one that did not
	// arrive before never will.
	select {
	case <-d.done:
	case <-h.stopped:
		select {
		case <-d.done:
		default:
			return nil, &net.OpError{Op: "dial", Net: network, Err: stoppedError{}}
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	return d.conn, nil
}

// opened hands the open connection to the dialer, on the loop.
func (d *dialing) opened(c *Conn) {
	d.conn = c
	close(d.done)
}

// failed tells the dialer why the connection did not open, on the loop.
func (d *dialing) failed(err error) {
	d.err = err
	close(d.done)
}
