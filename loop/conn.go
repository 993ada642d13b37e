package loop

import (
	"net"
	"os"
	"sync/atomic"

	"github.com/sockloop/sockloop/internal/buffer"
	"github.com/sockloop/sockloop/poller"
)

// Conn is a connection served by a loop. For datagram sockets one Conn stands
// for the socket, and each OnTraffic call sees one datagram and its sender.
//
// An idle connection costs its Conn and little else, so the fields are
// ordered for size and what few connections use lives in rare.
type Conn struct {
	l        *Loop
	fd       int
	ep       *endpoint // the listener's for an accepted connection, else its own
	remote   sockaddr
	value    any
	dg       *dgramState    // datagram sockets only: the batch being served
	x        *connRare      // allocated on first use
	in       []byte         // unconsumed input: in the loop's read buffer or in stash
	stash    buffer.Inbound // input kept between callbacks
	out      buffer.Queue
	to       *timeouts // the engine's, until a Set*Timeout gives the connection its own
	deadline *Timer

	lastRead, lastWrite int64
	drv                 driver       // moves the bytes: readiness or completion (driver.go)
	interest            poller.Event // what the poller watches the socket for
	state               connState    // the lifecycle (conn_state.go)
	rd                  readStop     // why it does not read now
	wr                  writeState   // where its sending side stands
	stream              bool
	dirty               bool     // in l.dirty
	dialed              bool     // made by Dial: its dialer hears of it even if it never opens
	parked              bool     // readiness: out of the poller after a hang-up while not reading
	ring                ringConn // completion driver only (conn_ring.go)
	// lent: Fd or Adopt let the descriptor be known outside the engine,
	// where it may have been duplicated, so its close alone may not take it
	// out of the poller. Fd may run on any goroutine.
	lent atomic.Bool
	sec  *tlsSession // TLS only (tls_session.go)
}

// connRare is the part of a connection that few connections use, or use
// only once: addresses asked for, descriptors that arrived, relay links,
// and what a close needs.
type connRare struct {
	local        sockaddr
	laddr, raddr net.Addr
	fds          []int  // descriptors received with the current input
	oob          []byte // control data of the current datagram (WithAncillary)

	relayOut *relayLink // Relay, Splice: this connection's input goes to another
	relayIn  *relayLink // Relay, Splice: another connection's input comes here

	dialStop  func() bool // stops watching a dial's context (DialContext)
	dialTimer *Timer      // fails a dial still connecting (WithDialTimeout)
	closeErr  error       // the reason Close was asked with
	dropErr   error       // given to the output dropped when the operations end
	linger    *Timer      // bounds the flush of a closing connection
}

// closeError is the reason Close was asked with, nil for none.
func (c *Conn) closeError() error {
	if c.x == nil {
		return nil
	}
	return c.x.closeErr
}

// rare returns the connection's rare part, allocating it on first use.
func (c *Conn) rare() *connRare {
	if c.x == nil {
		c.x = new(connRare)
	}
	return c.x
}

func newConn(l *Loop, fd int, ep *endpoint, stream bool, remote sockaddr) *Conn {
	c := &Conn{l: l, fd: fd, ep: ep, stream: stream, remote: remote, to: &l.eng.cfg.timeouts, drv: readyDriver{}}
	c.out.UseCache(&l.segs)
	return c
}

// network is the connection's network: tcp, tcp4, tcp6, udp, udp4, udp6 or
// unix.
func (c *Conn) network() string { return c.ep.network }

// Listener returns the address of the listener that accepted the
// connection (as Engine.Listen returned it), nil for a dialed or adopted
// connection; safe from any goroutine.
func (c *Conn) Listener() net.Addr {
	if c.ep.listener == nil || c.dialed {
		return nil
	}
	return c.ep.listener.addr
}

// Loop returns the loop that serves the connection; safe from any goroutine.
func (c *Conn) Loop() *Loop { return c.l }

// Fd returns the socket's descriptor; safe from any goroutine. It is closed
// when the connection closes.
func (c *Conn) Fd() int {
	c.lent.Store(true)
	return c.fd
}

// Context returns the value stored with SetContext (or given to Dial / Adopt).
func (c *Conn) Context() any { return c.value }

// SetContext stores a value with the connection for the handler's own use.
func (c *Conn) SetContext(v any) { c.value = v }

// LocalAddr returns the socket's local address.
func (c *Conn) LocalAddr() net.Addr {
	x := c.rare()
	if x.laddr == nil {
		if x.local == nil {
			x.local, _ = getsockname(c.fd)
		}
		x.laddr = netAddr(c.network(), x.local)
	}
	return x.laddr
}

// RemoteAddr returns the peer's address; for a datagram socket inside
// OnTraffic, the sender of the current datagram.
func (c *Conn) RemoteAddr() net.Addr {
	x := c.rare()
	if x.raddr == nil && c.remote == nil && !c.stream {
		c.remote = c.peerSockaddr()
	}
	if x.raddr == nil && c.remote != nil {
		x.raddr = netAddr(c.network(), c.remote)
	}
	return x.raddr
}

// Close closes the connection once its queued output has been flushed;
// OnClose then receives nil. Output that has not drained after
// WithCloseLinger is dropped and the connection reset, so that the peer sees
// an error rather than a clean end, and OnClose receives an
// *OutputDroppedError wrapping ErrCloseLinger. A dial still connecting, or
// a TLS handshake still running, with output written waits to send it
// first (OnOpen runs), within the same linger; one with nothing written
// closes at once. Abort gives up at once either way. It returns
// net.ErrClosed if the connection is closed already.
func (c *Conn) Close() error { return c.CloseWithError(nil) }

// CloseWithError is Close with err as the reason given to OnClose.
func (c *Conn) CloseWithError(err error) error {
	if c.state == stateClosed {
		return net.ErrClosed
	}
	if c.wr&writeCloseAsked == 0 {
		c.rd |= readDone
		c.wr |= writeCloseAsked
		c.keepCloseError(err)
	}
	c.l.touch(c)
	return nil
}

// Abort closes the connection at once with a reset: queued output is
// dropped, and the peer sees an error rather than a clean end, as a relay
// passes on its other side's failure. OnClose receives err (ErrAborted if
// nil), inside an *OutputDroppedError if output was dropped.
func (c *Conn) Abort(err error) error {
	if c.state == stateClosed {
		return net.ErrClosed
	}
	if err == nil {
		err = ErrAborted
	}
	if c.stream {
		setAbortOnClose(c.fd)
	}
	c.closeNow(err)
	return nil
}

// CloseWrite shuts down the sending side once the queued output has been
// flushed (a half-close); the connection goes on reading.
func (c *Conn) CloseWrite() error {
	if c.state == stateClosed {
		return net.ErrClosed
	}
	if !c.stream {
		return &net.OpError{Op: "shutdown", Net: c.network(), Err: os.ErrInvalid}
	}
	c.wr |= writeShutAsked
	if c.sec != nil {
		c.sec.closeNotify() // or once the session is live
	}
	c.l.touch(c)
	return nil
}

// AsyncClose is Close with a reason, safe from any goroutine.
func (c *Conn) AsyncClose(err error) error {
	return c.l.Submit(func() { c.CloseWithError(err) })
}

// PauseRead stops reading from the connection until ResumeRead; input that
// arrives meanwhile waits in the kernel, whose buffers then push back on the
// peer. A relay pauses one side while the other cannot take more.
func (c *Conn) PauseRead() {
	c.rd |= readPaused
	c.l.touch(c)
}

// ResumeRead undoes PauseRead.
func (c *Conn) ResumeRead() {
	c.rd &^= readPaused
	c.l.touch(c)
}

// closeGracefully closes now if nothing is queued, else stops reading and
// closes once the output drains or the linger period passes.
func (c *Conn) closeGracefully(err error) {
	if c.state == stateClosed || c.state == stateClosing {
		return
	}
	if c.sendsLater() {
		// settle takes the close up again once the connection can send;
		// the linger bounds the wait from now, as it bounds a drain.
		c.rd |= readDone
		c.wr |= writeCloseAsked
		c.keepCloseError(err)
		c.armLinger()
		return
	}
	if c.sec != nil {
		if c.sec.phase < tlsOpening {
			c.closeNow(err) // nothing of the handler's has left yet
			return
		}
		c.sec.closeNotify()
	}
	if c.out.Empty() || c.state == stateConnecting {
		c.closeNow(err)
		return
	}
	c.state = stateClosing
	c.keepCloseError(err)
	c.out.Detach()
	c.drv.sync(c)
	c.armLinger()
}

// keepCloseError records err as the reason OnClose receives.
func (c *Conn) keepCloseError(err error) {
	if err != nil || c.x != nil {
		c.rare().closeErr = err
	}
}

// armLinger bounds a graceful close by WithCloseLinger, once: a close that
// waited for its connection to open keeps the time it started with.
func (c *Conn) armLinger() {
	if x := c.rare(); x.linger == nil {
		x.linger = c.l.AfterFunc(c.l.eng.cfg.closeLinger, func() { c.closeNow(ErrCloseLinger) })
	}
}

// sendsLater reports whether output the handler wrote waits for the
// connection to be able to send it: a dial still connecting, or a TLS
// handshake not yet done. A graceful close waits with it, within the close
// linger, as a close of an open connection waits for its output to drain.
func (c *Conn) sendsLater() bool {
	if c.sec != nil && c.sec.phase <= tlsHandshaking {
		return len(c.sec.pending) > 0
	}
	return c.state == stateConnecting && !c.out.Empty()
}

// closeNow closes the socket at once, drops queued output and calls OnClose.
// An orderly close (err nil) with input still buffered first gives the
// handler one last OnTraffic for it, unless the handler asked for the close
// itself: a relay that held input back while its other side was full must
// not lose it. It returns false, so that callers can return its result.
func (c *Conn) closeNow(err error) bool {
	if c.state == stateClosed {
		return false
	}
	neverOpened := c.state == stateConnecting
	if neverOpened {
		c.unwatchDial()
	}
	hidden := c.hidden() // a TLS connection whose handshake never finished
	if err == nil && c.stream && c.unread() > 0 && c.seesTraffic() && !hidden {
		c.rd |= readDone
		if !c.offer() {
			return false
		}
	}
	if hidden && c.dialed {
		neverOpened = true // its handshake failed: the dial did
	}
	if n := c.out.Len(); n > 0 && c.stream {
		if err == nil {
			err = ErrNotConnected
		}
		err = &OutputDroppedError{Bytes: n, Err: err}
		setAbortOnClose(c.fd) // at worst a socket already reset, whose peer knows
		if c.l.stopping {
			c.l.eng.dropped.Add(1)
		}
	}
	c.state = stateClosed
	l := c.l
	l.conns.remove(c.fd)
	if c.deadline != nil {
		c.deadline.Stop()
	}
	if c.x != nil && c.x.linger != nil {
		c.x.linger.Stop()
	}
	dropped := err // what the dropped output's callbacks learn
	if dropped == nil {
		dropped = ErrNotConnected
	}
	if c.sec != nil {
		c.sec.release(c, dropped) // before the descriptor closes: the wire may read its address
	}
	if c.drv.release(c) {
		c.rare().dropErr = dropped // the driver drops the output later (bury)
	} else {
		closeFD(c.fd)
		c.out.Reset(dropped)
	}
	c.unlink()
	c.closeUntakenFDs()
	c.stash.Release()
	c.in = nil
	if !c.stream {
		return false
	}
	l.nconns.Add(-1)
	l.countClose(neverOpened, err)
	if hidden && !c.dialed {
		return false // the handler never saw it
	}
	if c.reportClose(neverOpened, err) == Shutdown {
		l.eng.stopInBackground()
	}
	return false
}

// reportClose tells the handler that the connection closed: OnClose, or
// OnDialError for a dial that never opened, where the handler has it.
func (c *Conn) reportClose(neverOpened bool, err error) Action {
	if h := c.l.eng.onDialError; neverOpened && h != nil {
		return h.OnDialError(c, err)
	}
	return c.l.eng.h.OnClose(c, err)
}
