package loop

import (
	"crypto/tls"
	"errors"
	"time"
)

// streamOpts are the socket options WithTCPKeepAlive, WithSocketBuffers,
// WithSocketLinger and WithTCPUserTimeout give every TCP connection. Zero
// values leave the system's default.
type streamOpts struct {
	keepAlive   bool
	keepIdle    time.Duration
	keepIntvl   time.Duration
	keepCnt     int
	rcvBuf      int
	sndBuf      int
	linger      bool
	lingerTime  time.Duration
	userTimeout time.Duration
}

func (o *streamOpts) any() bool { return *o != streamOpts{} }

// apply sets the options on a TCP socket; an error is an *OptionError
// naming the engine option whose setting failed.
func (o *streamOpts) apply(fd int) error {
	if o.keepAlive {
		if err := optKeepAlive(fd, true); err != nil {
			return &OptionError{Option: "WithTCPKeepAlive", Err: err}
		}
		if o.keepIdle > 0 || o.keepIntvl > 0 {
			if err := optKeepAliveTimes(fd, o.keepIdle, o.keepIntvl); err != nil {
				return &OptionError{Option: "WithTCPKeepAlive", Err: err}
			}
		}
		if o.keepCnt > 0 {
			if err := optKeepCnt(fd, o.keepCnt); err != nil {
				return &OptionError{Option: "WithTCPKeepAlive", Err: err}
			}
		}
	}
	if err := o.applyBuffers(fd); err != nil {
		return err
	}
	if o.linger {
		if err := optLinger(fd, o.lingerTime); err != nil {
			return &OptionError{Option: "WithSocketLinger", Err: err}
		}
	}
	if o.userTimeout > 0 {
		if err := optUserTimeout(fd, o.userTimeout); err != nil {
			return &OptionError{Option: "WithTCPUserTimeout", Err: err}
		}
	}
	return nil
}

// applyBuffers sets SO_RCVBUF and SO_SNDBUF; listening sockets get only
// these, for their connections to inherit.
func (o *streamOpts) applyBuffers(fd int) error {
	if o.rcvBuf > 0 {
		if err := optRecvBuf(fd, o.rcvBuf); err != nil {
			return &OptionError{Option: "WithSocketBuffers", Err: err}
		}
	}
	if o.sndBuf > 0 {
		if err := optSendBuf(fd, o.sndBuf); err != nil {
			return &OptionError{Option: "WithSocketBuffers", Err: err}
		}
	}
	return nil
}

// probe sets the options on a scratch TCP socket, so that New fails on an
// option the platform lacks (the error matches errors.ErrUnsupported) or a
// value the kernel refuses, rather than every connection failing later.
// Where no TCP socket can be made there is nothing to check against; the
// connections then meet any failure themselves.
func (o *streamOpts) probe() error {
	if !o.any() {
		return nil
	}
	fd, err := sysSocket(afInet, sockStream)
	if err != nil {
		if fd, err = sysSocket(afInet6, sockStream); err != nil {
			return nil
		}
	}
	defer sysClose(fd)
	return o.apply(fd)
}

// WithTCPKeepAlive turns TCP keep-alive (SO_KEEPALIVE) on for every TCP
// connection, accepted, dialed or adopted: after idle without traffic the
// kernel probes the peer every interval, and drops the connection after
// count probes go unanswered (OnClose then sees the read error). Each zero
// argument leaves the system's default (on Linux 2 h, 75 s and 9); the
// durations are rounded up to whole seconds; negative values fail New.
// Where the platform lacks one of the settings asked for (the probe count
// on some systems) New fails with an *OptionError matching
// errors.ErrUnsupported.
func WithTCPKeepAlive(idle, interval time.Duration, count int) Option {
	return func(c *config) {
		if idle < 0 || interval < 0 || count < 0 {
			c.fail("WithTCPKeepAlive", "negative idle, interval or count")
			return
		}
		c.stream.keepAlive = true
		c.stream.keepIdle, c.stream.keepIntvl, c.stream.keepCnt = idle, interval, count
	}
}

// WithSocketBuffers sets the kernel's receive and send buffer sizes
// (SO_RCVBUF, SO_SNDBUF) in bytes for every TCP connection; zero leaves a
// size to the system (which on Linux then tunes it as the connection goes),
// and negative sizes fail New. The kernel sizes a connection's receive
// window when the handshake's SYN passes, so the sizes are set on the
// engine's TCP listening sockets before listen(2), whence accepted
// connections inherit them, and on dialed sockets before connect(2).
// Accepted and adopted connections get them again as they open (two
// calls each, only with this option), for systems that do not pass a
// listener's sizes on. Linux reports twice
// the size set, the rest being its bookkeeping (see socket(7)), and caps
// it at net.core.rmem_max and wmem_max.
func WithSocketBuffers(recv, send int) Option {
	return func(c *config) {
		if recv < 0 || send < 0 {
			c.fail("WithSocketBuffers", "negative size")
			return
		}
		c.stream.rcvBuf, c.stream.sndBuf = recv, send
	}
}

// WithSocketLinger sets SO_LINGER on every TCP connection. With d zero,
// closing a connection resets it (the peer sees ECONNRESET) instead of
// ending it in order, and nothing stays in TIME_WAIT. With d above zero,
// close(2) waits up to d (whole seconds) for the kernel to send what it
// still holds, and on Linux it waits even on the loop's non-blocking
// sockets, stalling the loop: keep d short. WithCloseLinger is the
// engine's own, non-blocking grace for output it has not yet handed to
// the kernel. A negative d fails New.
func WithSocketLinger(d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			c.fail("WithSocketLinger", "negative duration")
			return
		}
		c.stream.linger, c.stream.lingerTime = true, d
	}
}

// WithTCPUserTimeout sets TCP_USER_TIMEOUT on every TCP connection: one
// whose sent data stays unacknowledged for d (millisecond resolution) is
// dropped, as is a keep-alive connection whose probes go unanswered that
// long. Zero leaves the system's default, a negative d fails New, and off
// Linux New fails with an *OptionError matching errors.ErrUnsupported.
func WithTCPUserTimeout(d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			c.fail("WithTCPUserTimeout", "negative duration")
			return
		}
		c.stream.userTimeout = d
	}
}

// ListenOption configures one listener of Engine.Listen.
//
// Backlog, TCP Fast Open and deferred accept are properties of a listening
// socket and mean nothing to dialed connections, and two listeners of one
// engine (a public port and an administrative one, say) may well want
// different ones, so they are options of Listen, as they are of a listen
// call in C, and not of the engine; Listen takes them variadically, so
// that calls written before them still compile. The buffer sizes of
// WithSocketBuffers are engine-wide because dialed connections need them
// too; the listening sockets get them as well.
type ListenOption func(*listenConfig)

type listenConfig struct {
	backlog     int
	fastOpen    int
	deferAccept time.Duration
	bufs        *streamOpts // the engine's WithSocketBuffers
	tls         *tls.Config // WithListenerTLS's, else the engine's WithTLS
	tlsOwn      bool        // tls is WithListenerTLS's
	tlsReply    []byte      // WithListenerTLSPlaintextReply's, else the engine's
	tlsReplyOwn bool        // tlsReply is WithListenerTLSPlaintextReply's
	err         error
}

func (c *listenConfig) fail(option, msg string) {
	if c.err == nil {
		c.err = &OptionError{Option: option, Err: errors.New(msg)}
	}
}

// errTCPOnly refuses a TCP option on a listener of another network.
var errTCPOnly = errors.New("needs a TCP listener")

// check refuses options the endpoint's network cannot take.
func (c *listenConfig) check(ep *endpoint) error {
	if c.err != nil {
		return c.err
	}
	tcp := ep.stream() && ep.family != afUnix
	switch {
	case c.fastOpen > 0 && !tcp:
		return &OptionError{Option: "WithFastOpen", Err: errTCPOnly}
	case c.deferAccept > 0 && !tcp:
		return &OptionError{Option: "WithDeferAccept", Err: errTCPOnly}
	case c.backlog > 0 && !ep.stream():
		return &OptionError{Option: "WithBacklog", Err: errors.New("needs a stream listener")}
	case c.tls != nil && c.tlsOwn && !ep.stream():
		return &OptionError{Option: "WithListenerTLS", Err: errors.New("needs a stream listener")}
	case c.tlsReplyOwn && (c.tls == nil || !ep.stream()):
		return &OptionError{Option: "WithListenerTLSPlaintextReply", Err: errors.New("needs a listener that serves TLS")}
	}
	return nil
}

// apply sets the options that precede listen(2) on a listening socket.
func (c *listenConfig) apply(fd int, ep *endpoint) error {
	if ep.family == afUnix {
		return nil
	}
	if c.bufs != nil && ep.stream() {
		if err := c.bufs.applyBuffers(fd); err != nil {
			return err
		}
	}
	if c.fastOpen > 0 {
		if err := optFastOpen(fd, c.fastOpen); err != nil {
			return &OptionError{Option: "WithFastOpen", Err: err}
		}
	}
	if c.deferAccept > 0 {
		if err := optDeferAccept(fd, c.deferAccept); err != nil {
			return &OptionError{Option: "WithDeferAccept", Err: err}
		}
	}
	return nil
}

func (c *listenConfig) listenBacklog() int {
	if c.backlog > 0 {
		return c.backlog
	}
	return listenBacklog
}

// WithBacklog sets the listen(2) backlog, how many handshaken connections
// may wait to be accepted (default 4096; the kernel caps it, on Linux at
// net.core.somaxconn). It needs n >= 1 and a stream listener.
func WithBacklog(n int) ListenOption {
	return func(c *listenConfig) {
		if n < 1 {
			c.fail("WithBacklog", "need n >= 1")
			return
		}
		c.backlog = n
	}
}

// WithFastOpen turns TCP Fast Open (TCP_FASTOPEN) on for a TCP listener:
// a returning client's SYN may carry its first request. On Linux n bounds
// the Fast Open requests waiting for their handshake to finish (the
// sysctl net.ipv4.tcp_fastopen must allow the server side, bit 2); on the
// BSDs that have it any n turns it on. It needs n >= 1; where the platform
// lacks it (OpenBSD, NetBSD, Windows) Listen fails with an *OptionError
// matching errors.ErrUnsupported.
func WithFastOpen(n int) ListenOption {
	return func(c *listenConfig) {
		if n < 1 {
			c.fail("WithFastOpen", "need n >= 1")
			return
		}
		c.fastOpen = n
	}
}

// WithDeferAccept sets TCP_DEFER_ACCEPT on a TCP listener: the kernel
// holds a connection back from accept until its first data arrives, or
// for about d (whole seconds, rounded up to the end of a SYN-ACK
// retransmission step), so that the loop meets connections with a request
// to read. It needs d > 0; off Linux Listen fails with an *OptionError
// matching errors.ErrUnsupported.
func WithDeferAccept(d time.Duration) ListenOption {
	return func(c *listenConfig) {
		if d <= 0 {
			c.fail("WithDeferAccept", "need d > 0")
			return
		}
		c.deferAccept = d
	}
}

// prepareTCP applies the engine's stream options to an accepted or adopted
// TCP connection. A failure closes the connection, which has not reached
// OnOpen, and is logged once per engine: the options were checked when
// the engine was made, so one failing now is a condition of the moment
// (the connection reset already, memory short), and serving the
// connection without an option the application asked for (a keep-alive
// that finds dead peers, a linger that resets) could break what it relies
// on. Dialed connections get the options before connect(2), and their
// failure is the error of Dial.
func (l *Loop) prepareTCP(c *Conn) error {
	if c.network() == "unix" || !l.eng.cfg.stream.any() {
		return nil
	}
	err := l.eng.cfg.stream.apply(c.fd)
	if err != nil && l.eng.optWarned.CompareAndSwap(false, true) {
		l.eng.cfg.logger.Warn("loop: cannot set socket option; closing the connection (logged once)",
			"remote", c.RemoteAddr(), "err", err)
	}
	return err
}
