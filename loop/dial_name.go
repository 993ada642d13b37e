package loop

import (
	"context"
	"errors"
	"net"

	"github.com/sockloop/sockloop/poller"
)

// A dial by host name from inside a loop (Loop.DialContext) looks the name
// up on a goroutine of its own, so that the loop never waits on DNS, and
// connects on the loop once the answer comes back through Submit.
//
// Meanwhile the connection is a dial in progress like one connecting to a
// numeric address: it is in the loop's table, counted, and holds an
// unconnected socket of the family the answer most likely has, so that
// Close, Stop and the connection counts treat it as they treat a connect
// in flight without a state of its own. Closing it with nothing written
// cancels the lookup (with output, the close waits to send it), and
// Stop, which closes it, waits for the lookup's goroutine to end.

// errStillResolving is what starting to serve a dial that has no address
// yet would fail with.
var errStillResolving = errors.New("loop: dial still resolving its host name")

// WithResolver sets the resolver that Engine.Dial and Loop.Dial look host
// names up with (default net.DefaultResolver), such as one whose Dial
// reaches a chosen name server. Its lookups must end when their context
// does: Stop waits for those a loop started. A nil r is the default.
func WithResolver(r *net.Resolver) Option { return func(c *config) { c.resolver = r } }

// dialName starts a dial to a host name and returns the connection at once:
// the lookup runs off the loop (resolve), the connect on it (resolved).
func (l *Loop) dialName(ctx context.Context, network, address string, value any) (*Conn, error) {
	family := afInet // the family resolveEndpointContext prefers for tcp
	if network == "tcp6" {
		family = afInet6
	}
	fd, err := l.dialSocket(family, true)
	if err != nil {
		return nil, err
	}
	ep := &endpoint{network: network, address: address, family: family, sotype: sockStream}
	c := newConn(l, fd, ep, true, nil)
	c.value, c.dialed, c.state, c.drv = value, true, stateConnecting, resolveDriver{}
	switch {
	case !l.admitsNew():
		c.abandon(ErrEngineStopped)
	case ctx.Err() != nil:
		c.abandon(c.dialError(ctx.Err()))
	default:
		l.resolve(ctx, c)
	}
	return c, nil
}

// resolve enters c in the loop's table and looks its host name up on a
// goroutine bounded by ctx and by c's life; the answer comes back to the
// loop through Submit.
func (l *Loop) resolve(ctx context.Context, c *Conn) {
	lookup, cancel := context.WithCancel(ctx)
	c.rare().dialStop = func() bool { cancel(); return true }
	l.conns.put(c.fd, c)
	l.nconns.Add(1)
	// The running loop holds the engine's group above zero, so this Add
	// cannot race with the Wait that ends the engine.
	l.eng.wg.Add(1)
	network, address, resolver := c.ep.network, c.ep.address, l.eng.cfg.resolver
	go func() {
		defer l.eng.wg.Done()
		ep, err := resolveEndpointContext(lookup, resolver, network, address)
		cancel()
		// Submit is refused only once the loop has ended, which it does
		// after closing every connection, c included: nobody waits for
		// this answer then.
		l.Submit(func() { l.resolved(ctx, c, ep, err) })
	}()
}

// resolved carries a dial on once its lookup ended: it connects to the
// address found, or closes the connection with the lookup's error (ctx's,
// where ctx ended the lookup). A connection closed meanwhile is left as it
// is.
func (l *Loop) resolved(ctx context.Context, c *Conn, ep *endpoint, err error) {
	if c.state != stateConnecting {
		return
	}
	c.unwatchDial()
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		c.closeNow(c.dialError(err))
		return
	}
	// From here on c is dialed as a numeric address is: startDialed enters
	// it in the table again, or abandon reports its failure.
	l.conns.remove(c.fd)
	l.nconns.Add(-1)
	held := c.ep.family // the family of the socket c holds
	c.ep, c.remote = ep, ep.sa
	if ep.family != held {
		if err := c.replaceSocket(ep.family); err != nil {
			c.abandon(c.dialError(err))
			return
		}
	}
	if err := c.beginConnect(); err != nil {
		c.abandon(err)
		return
	}
	l.startDialed(ctx, c)
}

// replaceSocket gives a resolved dial a socket of the family its address
// turned out to have, in place of the one it held while resolving.
func (c *Conn) replaceSocket(family int) error {
	fd, err := c.l.dialSocket(family, true)
	if err != nil {
		return err
	}
	closeFD(c.fd)
	c.fd = fd
	return nil
}

// resolveDriver is the driver of a dial whose host name is being looked
// up: nothing of it is in the kernel yet, so there is nothing to sync,
// send, read or release; output written meanwhile waits in its queue.
type resolveDriver struct{}

func (resolveDriver) start(*Conn) error         { return errStillResolving }
func (resolveDriver) sync(*Conn)                {}
func (resolveDriver) send(*Conn) bool           { return true }
func (resolveDriver) ready(*Conn, poller.Event) {}
func (resolveDriver) reading(*Conn) bool        { return false }
func (resolveDriver) release(*Conn) (kept bool) { return false }
