package loop

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"runtime"
	"time"
)

// TLS on the loops (tls_session.go says how it works): a listener, or the
// whole engine, serves TLS with a *tls.Config, a dial speaks it with
// DialTLS, and any open connection can switch to it with StartTLS. The
// handler keeps its API and sees plaintext: OnOpen runs once the handshake
// has finished, OnTraffic's input is decrypted, and what it writes is
// encrypted.

// ErrTLSHandshakeTimeout closes a connection whose TLS handshake did not
// finish within WithTLSHandshakeTimeout; it matches os.ErrDeadlineExceeded.
var ErrTLSHandshakeTimeout error = &timeoutError{"TLS handshake"}

// errTLSUnsupported is inside the errors of calls that TLS cannot serve.
var errTLSUnsupported = errors.New("not available on a TLS connection")

// defaultHandshakeTimeout bounds a TLS handshake unless
// WithTLSHandshakeTimeout says otherwise.
const defaultHandshakeTimeout = 10 * time.Second

// WithTLS makes every stream listener of the engine (Listen, ListenFD)
// serve TLS with cfg, which must hold a certificate (Certificates,
// GetCertificate or GetConfigForClient); WithListenerTLS overrides it for
// one listener. The engine must not change cfg once Start ran.
func WithTLS(cfg *tls.Config) Option {
	return func(c *config) {
		if cfg == nil {
			c.fail("WithTLS", "nil *tls.Config")
			return
		}
		c.tls = cfg
	}
}

// WithTLSPlaintextReply makes a TLS listener answer a client whose first
// bytes are not TLS (an http:// request sent to an https:// port, say) with
// reply, written in the clear, before it closes the connection. The reply
// is for a short refusal in the listener's own protocol, such as net/http's
// "HTTP/1.0 400 Bad Request"; the client reads it and then a clean end, as
// what it goes on sending is read and dropped, for up to the close linger
// (WithCloseLinger). The handler never hears of the connection. Not TLS is
// crypto/tls's "first record does not look like a TLS handshake", whatever
// the bytes; a TLS client whose handshake fails later gets its alert as
// before. An empty reply, the default, closes such a client at once;
// WithListenerTLSPlaintextReply overrides it for one listener.
func WithTLSPlaintextReply(reply []byte) Option {
	return func(c *config) { c.tlsReply = bytes.Clone(reply) }
}

// WithTLSHandshakeTimeout bounds each TLS handshake (default 10s): one not
// finished by then closes with ErrTLSHandshakeTimeout. It needs d > 0.
func WithTLSHandshakeTimeout(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			c.fail("WithTLSHandshakeTimeout", "needs a positive duration")
			return
		}
		c.tlsHandshakeTimeout = d
	}
}

// WithTLSHandshakeConcurrency lets at most n TLS handshakes compute at
// once (default four per GOMAXPROCS); the others wait their turn. A
// handshake waiting for its peer leaves its turn to another, one blocked
// in a callback of its config (a GetCertificate that fetches) keeps it.
// The bound keeps the loops, which need the same processors, from queueing
// behind thousands of handshakes: a flood of new connections then delays
// its own handshakes rather than the established connections. It needs
// n >= 1.
func WithTLSHandshakeConcurrency(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.fail("WithTLSHandshakeConcurrency", "needs at least one")
			return
		}
		c.tlsHandshakes = n
	}
}

// handshakeSlots is how many TLS handshakes may compute at once.
func (c *config) handshakeSlots() int {
	if c.tlsHandshakes > 0 {
		return c.tlsHandshakes
	}
	return 4 * runtime.GOMAXPROCS(0)
}

// WithListenerTLS makes the listener serve TLS with cfg, whatever WithTLS
// says. It needs a stream listener.
func WithListenerTLS(cfg *tls.Config) ListenOption {
	return func(c *listenConfig) {
		if cfg == nil {
			c.fail("WithListenerTLS", "nil *tls.Config")
			return
		}
		c.tls, c.tlsOwn = cfg, true
	}
}

// WithListenerTLSPlaintextReply is WithTLSPlaintextReply for one listener,
// whatever the engine's says; an empty reply turns it off there. It needs a
// listener that serves TLS.
func WithListenerTLSPlaintextReply(reply []byte) ListenOption {
	return func(c *listenConfig) {
		c.tlsReply, c.tlsReplyOwn = bytes.Clone(reply), true
	}
}

// DialTLS is DialContext for a connection that speaks TLS with cfg as its
// client: OnOpen runs once the handshake has finished, and a handshake that
// fails reaches OnDialError (or else OnClose) as a dial that never opened.
// Without ServerName in cfg, the host of address is verified (as tls.Dial
// does). What is written before the handshake has finished leaves once it
// has, encrypted, and so does CloseWrite's close_notify; a Close before
// then drops it, as a Close before a dial connects does.
func (e *Engine) DialTLS(ctx context.Context, network, address string, cfg *tls.Config, value any) (*Conn, error) {
	cfg, err := clientConfig(network, address, cfg)
	if err != nil {
		return nil, err
	}
	return e.dialContext(ctx, network, address, value, cfg)
}

// DialTLS is Loop.DialContext for a connection that speaks TLS with cfg as
// its client, as Engine.DialTLS describes.
func (l *Loop) DialTLS(ctx context.Context, network, address string, cfg *tls.Config, value any) (*Conn, error) {
	cfg, err := clientConfig(network, address, cfg)
	if err != nil {
		return nil, err
	}
	c, err := l.DialContext(ctx, network, address, value)
	if err != nil {
		return nil, err
	}
	c.sec = newTLSSession(cfg, false, false)
	return c, nil
}

// clientConfig checks cfg for a dial to address, and fills in ServerName
// from it where cfg has none.
func clientConfig(network, address string, cfg *tls.Config) (*tls.Config, error) {
	if cfg == nil {
		return nil, &OptionError{Option: "DialTLS", Err: errors.New("nil *tls.Config")}
	}
	if cfg.ServerName != "" || cfg.InsecureSkipVerify || network == "unix" {
		return cfg, nil
	}
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return nil, &AddrError{Addr: network + "://" + address, Err: err}
	}
	cfg = cfg.Clone()
	cfg.ServerName = host
	return cfg, nil
}

// StartTLS switches an open stream connection to TLS with cfg, as a server
// (tls.Server) or a client: what follows on the wire is the handshake, then
// records. Output written meanwhile is encrypted once the handshake has
// finished; input the handler has not consumed is taken as the peer's first
// TLS bytes. A handshake that fails closes the connection with its error.
// Call it on the loop, inside a callback; a connection that speaks TLS
// already refuses.
func (c *Conn) StartTLS(cfg *tls.Config, server bool) error {
	switch {
	case cfg == nil:
		return &OptionError{Option: "StartTLS", Err: errors.New("nil *tls.Config")}
	case c.sec != nil || !c.stream:
		return &net.OpError{Op: "starttls", Net: c.network(), Addr: c.RemoteAddr(), Err: errTLSUnsupported}
	}
	if err := c.writable(); err != nil {
		return err
	}
	if c.x != nil && (c.x.relayIn != nil || c.x.relayOut != nil) {
		return &net.OpError{Op: "starttls", Net: c.network(), Addr: c.RemoteAddr(), Err: errTLSUnsupported}
	}
	c.sec = newTLSSession(cfg, server, true)
	if c.state == stateOpen {
		c.sec.start(c)
	}
	return nil
}

// TLSConnectionState returns the state of the connection's TLS session,
// and false for a connection that does not speak TLS or whose handshake
// has not finished.
func (c *Conn) TLSConnectionState() (tls.ConnectionState, bool) {
	if c.sec == nil || c.sec.phase < tlsOpening {
		return tls.ConnectionState{}, false
	}
	return c.sec.tc.ConnectionState(), true
}
