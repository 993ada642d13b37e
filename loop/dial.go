package loop

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/sockloop/sockloop/poller"
)

var errDialDatagram = errors.New("dialing needs a stream network")

// Dial connects to address from inside the engine, on the loop the balancing
// policy picks, and returns the connection at once; safe from any goroutine.
// OnOpen runs when the connection is established; if it fails, OnDialError
// (DialErrorHandler) or else OnClose runs with the reason. network is tcp,
// tcp4, tcp6 or unix; host names are resolved here, on the caller's
// goroutine, by the engine's resolver (WithResolver). value becomes the
// connection's Context.
func (e *Engine) Dial(network, address string, value any) (*Conn, error) {
	return e.DialContext(context.Background(), network, address, value)
}

// DialContext is Dial bounded by ctx: the resolution of a host name is
// cancelled with it, and a connection still connecting when ctx ends fails
// with a *net.OpError wrapping ctx's error (context.DeadlineExceeded or
// context.Canceled). ctx no longer matters once the connection is open.
func (e *Engine) DialContext(ctx context.Context, network, address string, value any) (*Conn, error) {
	return e.dialContext(ctx, network, address, value, nil)
}

// dialContext is DialContext, with TLS as cfg's client where cfg is not nil.
func (e *Engine) dialContext(ctx context.Context, network, address string, value any, cfg *tls.Config) (*Conn, error) {
	if e.state.Load() != engineRunning {
		return nil, ErrEngineStopped
	}
	ep, err := resolveEndpointContext(ctx, e.cfg.resolver, network, address)
	if err != nil {
		return nil, err
	}
	l := e.pick(addrHash(ep.sa))
	c, err := l.connect(ep, value, false)
	if err != nil {
		return nil, err
	}
	if cfg != nil {
		c.sec = newTLSSession(cfg, false, false) // before the loop sees c
	}
	if err := l.Submit(func() { l.startDialed(ctx, c) }); err != nil {
		closeFD(c.fd)
		return nil, err
	}
	return c, nil
}

// Dial connects to address from the loop's own goroutine, so that the new
// connection shares the loop (and its buffers) with the caller's, as a
// proxy's two sides should; it never blocks. A host name is looked up off
// the loop (Loop.DialContext says how); a numeric address starts
// connecting at once.
func (l *Loop) Dial(network, address string, value any) (*Conn, error) {
	return l.DialContext(context.Background(), network, address, value)
}

// DialContext is Loop.Dial bounded by ctx: a connection still resolving or
// connecting when ctx ends fails with a *net.OpError wrapping ctx's error.
// The connection it returns at once may still be resolving its host name,
// on a goroutine of its own, by the engine's resolver (WithResolver); it
// connects on this loop once the answer arrives. Meanwhile it takes
// writes, which leave once it opens, and Close, which cancels the lookup
// unless something was written (Conn.Close);
// Fd and RemoteAddr are only final once OnOpen runs. A lookup that fails
// reaches OnDialError (or else OnClose) as a *net.OpError wrapping an
// *AddrError, which wraps the resolver's error.
func (l *Loop) DialContext(ctx context.Context, network, address string, value any) (*Conn, error) {
	if strings.HasPrefix(network, "udp") {
		// Refused before a name in address is looked up on the loop.
		return nil, &AddrError{Addr: network + "://" + address, Err: errDialDatagram}
	}
	if hostName(network, address) {
		return l.dialName(ctx, network, address, value)
	}
	ep, err := resolveEndpoint(network, address)
	if err != nil {
		return nil, err
	}
	c, err := l.connect(ep, value, true)
	if err != nil {
		return nil, err
	}
	l.startDialed(ctx, c)
	return c, nil
}

// connect creates a socket for a dialed connection and starts connect(2);
// onLoop says the caller runs on l's goroutine (see dialSocket).
func (l *Loop) connect(ep *endpoint, value any, onLoop bool) (*Conn, error) {
	if !ep.stream() {
		return nil, &AddrError{Addr: ep.network + "://" + ep.address, Err: errDialDatagram}
	}
	fd, err := l.dialSocket(ep.family, onLoop)
	if err != nil {
		return nil, err
	}
	c := newConn(l, fd, ep, true, ep.sa)
	c.value = value
	c.dialed = true
	c.state = stateConnecting
	if err := c.beginConnect(); err != nil {
		closeFD(fd)
		return nil, err
	}
	return c, nil
}

// dialSocket creates a stream socket of family for a dial, with the
// engine's options for TCP set before connect(2): the SYN announces the
// receive window. Out of descriptors, on the loop's goroutine (onLoop: the
// spare pipes are its alone), it closes the relays' spare pipes and tries
// once more.
func (l *Loop) dialSocket(family int, onLoop bool) (int, error) {
	fd, err := sysSocket(family, sockStream)
	if se := (*os.SyscallError)(nil); onLoop && errors.As(err, &se) && outOfResources(se.Err) && len(l.pipes) > 0 {
		l.closeSparePipes() // descriptors the dial needs more
		fd, err = sysSocket(family, sockStream)
	}
	if err != nil {
		return -1, err
	}
	if family != afUnix {
		if err := l.eng.cfg.stream.apply(fd); err != nil {
			closeFD(fd)
			return -1, err
		}
	}
	return fd, nil
}

// beginConnect gives a dialed connection its driver for connecting: a
// connect operation, issued on the loop by startDialed, where the loop has
// one, else connect(2) at once, watched by readiness.
func (c *Conn) beginConnect() error {
	if c.l.connector != nil {
		c.drv = ringDriver{}
		return nil
	}
	c.drv = readyDriver{}
	return c.connectNow()
}

// connectNow starts connect(2) on a dialed socket; a connection it finishes
// at once is open.
func (c *Conn) connectNow() error {
	var err error
	for {
		err = sysConnect(c.fd, c.remote)
		if err != errIntr {
			break
		}
	}
	switch {
	case err == nil:
		c.state = stateOpen
	case !connectPending(err):
		return &net.OpError{Op: "dial", Net: c.network(), Addr: netAddr(c.network(), c.remote), Err: os.NewSyscallError("connect", err)}
	}
	return nil
}

// startDialed registers a dialed socket with the loop: opened at once when
// connect(2) already finished, else watched until it does or ctx ends.
func (l *Loop) startDialed(ctx context.Context, c *Conn) {
	if c.state == stateOpen {
		l.openConn(c)
		return
	}
	if !l.admitsNew() {
		c.abandon(ErrEngineStopped)
		return
	}
	if err := ctx.Err(); err != nil {
		c.abandon(c.dialError(err))
		return
	}
	if ctx.Done() != nil {
		c.rare().dialStop = context.AfterFunc(ctx, func() {
			l.Submit(func() {
				if c.state == stateConnecting {
					c.closeNow(c.dialError(ctx.Err()))
				}
			})
		})
	}
	if d := l.eng.cfg.dialTimeout; d > 0 {
		c.watchDialTimeout(d)
	}
	if _, ok := c.drv.(ringDriver); ok {
		l.newGen(c)
		if err := l.connector.Connect(c.fd, c.remote, c.token()); err == nil {
			c.ring.inflight++
			c.ring.flags |= ringDialed
			l.conns.put(c.fd, c)
			l.nconns.Add(1)
			return
		}
		// An address the operation cannot take (an abstract Unix name):
		// connect(2) it is, watched by readiness until it connects.
		c.drv = readyDriver{}
		if err := c.connectNow(); err != nil {
			c.abandon(err)
			return
		}
		if c.state == stateOpen {
			l.openConn(c)
			return
		}
	}
	if err := l.poll.Add(c.fd, poller.Writable); err != nil {
		c.abandon(err)
		return
	}
	c.interest = poller.Writable
	l.conns.put(c.fd, c)
	l.nconns.Add(1)
}

// WithDialTimeout bounds the connect of every dial (Dial, DialContext and
// DialTLS, from the engine or a loop): one not connected after d fails with
// a *net.OpError wrapping ErrDialTimeout, which matches
// os.ErrDeadlineExceeded, as a dial whose context ends fails. Without it
// (0, the default) a dial to a host that drops its SYNs waits for the
// kernel's retries, about two minutes on Linux; a context's deadline still
// applies, whichever comes first.
func WithDialTimeout(d time.Duration) Option {
	return durationOption("WithDialTimeout", func(c *config, d time.Duration) { c.dialTimeout = d }, d)
}

// watchDialTimeout fails the dial if it is still connecting after d.
func (c *Conn) watchDialTimeout(d time.Duration) {
	c.rare().dialTimer = c.l.AfterFunc(d, func() {
		if c.state == stateConnecting {
			c.closeNow(c.dialError(ErrDialTimeout))
		}
	})
}

// dialError is the error of a dial that failed with err.
func (c *Conn) dialError(err error) error {
	return &net.OpError{Op: "dial", Net: c.network(), Addr: c.RemoteAddr(), Err: err}
}

// unwatchDial stops watching a dial's context and timeout, which no longer
// matter once the dial opened or ended.
func (c *Conn) unwatchDial() {
	x := c.x
	if x == nil {
		return
	}
	if x.dialStop != nil {
		x.dialStop()
		x.dialStop = nil
	}
	if x.dialTimer != nil {
		x.dialTimer.Stop()
		x.dialTimer = nil
	}
}

// connected opens a dialed connection, or closes it with the dial's error.
func (c *Conn) connected(err error) {
	c.unwatchDial()
	if err != nil {
		c.closeNow(c.dialError(err))
		return
	}
	c.state = stateOpen
	prepareStream(c.fd, c.network(), c.l.eng.cfg.noDelay)
	c.l.assignDriver(c)
	if c.sec != nil {
		c.drv.sync(c) // reads from now on: the handshake needs the input
	} else {
		c.l.touch(c) // reads from now on, from the settle after OnOpen
	}
	if c.alive() {
		c.open()
	}
}

// Dialed reports whether the connection was made by Dial (or DialContext)
// rather than accepted or adopted.
func (c *Conn) Dialed() bool { return c.dialed }

// Adopt takes over a connected stream socket and serves it on a loop; safe
// from any goroutine. The engine owns fd from then on and closes it.
func (e *Engine) Adopt(fd int, value any) (*Conn, error) {
	if e.state.Load() != engineRunning {
		return nil, ErrEngineStopped
	}
	if err := setNonblock(fd); err != nil {
		return nil, err
	}
	sotype, err := socketType(fd)
	if err != nil {
		return nil, err
	}
	if sotype != sockStream {
		return nil, &net.OpError{Op: "adopt", Err: os.NewSyscallError("getsockopt", errNotStream)}
	}
	peer, err := getpeername(fd)
	if err != nil {
		return nil, os.NewSyscallError("getpeername", err)
	}
	ep := &endpoint{network: "tcp", sotype: sockStream, sa: peer}
	if isUnixAddr(peer) {
		ep.network = "unix"
	}
	setCloseOnExec(fd)
	l := e.pick(addrHash(peer))
	c := newConn(l, fd, ep, true, peer)
	c.lent.Store(true) // the caller may hold another descriptor of it
	c.value = value
	if err := l.Submit(func() { l.openConn(c) }); err != nil {
		return nil, err
	}
	return c, nil
}

// AdoptConn takes over the socket of a connected *net.TCPConn or
// *net.UnixConn: it duplicates the descriptor, closes nc, and serves the
// duplicate on a loop.
func (e *Engine) AdoptConn(nc net.Conn, value any) (*Conn, error) {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return nil, &net.OpError{Op: "adopt", Net: nc.LocalAddr().Network(), Err: os.ErrInvalid}
	}
	dup, err := dupSocket(sc)
	if err != nil {
		return nil, &net.OpError{Op: "adopt", Net: nc.LocalAddr().Network(), Err: err}
	}
	nc.Close()
	c, err := e.Adopt(dup, value)
	if err != nil {
		closeFD(dup)
	}
	return c, err
}
