package loop

import (
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"runtime"
	"time"

	"github.com/sockloop/sockloop/poller"
)

// LoadBalancing picks the loop for a connection when one acceptor hands
// connections out (no SO_REUSEPORT, Unix sockets, dials and adoptions).
type LoadBalancing int

const (
	// RoundRobin hands connections to the loops in turn.
	RoundRobin LoadBalancing = iota
	// LeastConnections picks the loop with the fewest open connections.
	LeastConnections
	// SourceAddrHash picks the loop from a hash of the peer's address, so one
	// client's connections share a loop.
	SourceAddrHash
)

// Option configures an Engine.
type Option func(*config)

type config struct {
	loops               int
	lockThread          bool
	reusePort           bool
	balancing           LoadBalancing
	edge                bool
	readBuf             int
	lowWater            int
	highWater           int
	timeouts            timeouts
	closeLinger         time.Duration
	stopTimeout         time.Duration
	ticker              bool
	noDelay             bool
	stream              streamOpts
	resolver            *net.Resolver // WithResolver's; nil is net.DefaultResolver
	workers             int
	ancillary           bool
	udpBatch            int
	udpOffload          bool
	backend             poller.Backend
	uringOff            poller.URingFeature
	rawWait             time.Duration
	dialTimeout         time.Duration // WithDialTimeout's; 0: the kernel's
	logger              *slog.Logger
	tls                 *tls.Config // WithTLS's, for every stream listener
	tlsReply            []byte      // WithTLSPlaintextReply's
	tlsHandshakeTimeout time.Duration
	tlsHandshakes       int // WithTLSHandshakeConcurrency's; 0: four per GOMAXPROCS
	err                 error
}

func defaultConfig() config {
	return config{
		loops:               runtime.NumCPU(),
		reusePort:           true,
		readBuf:             64 << 10,
		lowWater:            16 << 10,
		highWater:           64 << 10,
		closeLinger:         5 * time.Second,
		stopTimeout:         5 * time.Second,
		noDelay:             true,
		udpBatch:            16,
		logger:              slog.Default(),
		tlsHandshakeTimeout: defaultHandshakeTimeout,
	}
}

func (c *config) fail(option, msg string) {
	if c.err == nil {
		c.err = &OptionError{Option: option, Err: errors.New(msg)}
	}
}

// WithLoops sets the number of event loops (default: the number of CPUs).
func WithLoops(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.fail("WithLoops", "need at least one loop")
			return
		}
		c.loops = n
	}
}

// WithLockOSThread locks each loop goroutine to its own OS thread.
//
// A locked loop that blocks in the kernel with as many loops as GOMAXPROCS
// leaves the runtime no idle P, so sysmon takes its P away and wakes another
// thread each time; where the loops are not pinned to one CPU, a spare P
// (GOMAXPROCS one above the number of locked loops) avoids that (see
// bench/README.md, "A spare P for locked loops"), as WithRawWait does.
func WithLockOSThread(on bool) Option { return func(c *config) { c.lockThread = on } }

// WithReusePort gives each loop its own listening socket with SO_REUSEPORT
// where the OS supports it (default true), letting the kernel spread
// connections; without it one acceptor hands them out by WithLoadBalancing.
func WithReusePort(on bool) Option { return func(c *config) { c.reusePort = on } }

// WithLoadBalancing sets how the acceptor picks a loop (default RoundRobin).
func WithLoadBalancing(lb LoadBalancing) Option {
	return func(c *config) {
		if lb < RoundRobin || lb > SourceAddrHash {
			c.fail("WithLoadBalancing", "unknown policy")
			return
		}
		c.balancing = lb
	}
}

// WithEdgeTriggered makes the pollers edge-triggered; the loop then reads
// until the socket is drained on each event.
func WithEdgeTriggered(on bool) Option { return func(c *config) { c.edge = on } }

// WithReadBufferSize sets the size of each loop's read buffer (default 64 KiB).
func WithReadBufferSize(n int) Option {
	return func(c *config) {
		if n < 512 {
			c.fail("WithReadBufferSize", "must be at least 512 bytes")
			return
		}
		c.readBuf = n
	}
}

// WithWriteWatermarks sets the backpressure marks: a connection stops reading
// when its queued output exceeds high and resumes once it falls to low or
// below (default 16 KiB and 64 KiB). It needs 0 <= low <= high.
func WithWriteWatermarks(low, high int) Option {
	return func(c *config) {
		if low < 0 || high < low || high == 0 {
			c.fail("WithWriteWatermarks", "need 0 <= low <= high and high > 0")
			return
		}
		c.lowWater, c.highWater = low, high
	}
}

func durationOption(name string, set func(*config, time.Duration), d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			c.fail(name, "negative duration")
			return
		}
		set(c, d)
	}
}

// WithReadTimeout closes connections that receive nothing for d (0: never).
func WithReadTimeout(d time.Duration) Option {
	return durationOption("WithReadTimeout", func(c *config, d time.Duration) { c.timeouts.read = d }, d)
}

// WithWriteTimeout closes connections whose queued output makes no progress
// for d (0: never).
func WithWriteTimeout(d time.Duration) Option {
	return durationOption("WithWriteTimeout", func(c *config, d time.Duration) { c.timeouts.write = d }, d)
}

// WithIdleTimeout closes connections whose peer is idle for d (0: never);
// see Conn.SetIdleTimeout for what counts.
func WithIdleTimeout(d time.Duration) Option {
	return durationOption("WithIdleTimeout", func(c *config, d time.Duration) { c.timeouts.idle = d }, d)
}

// WithCloseLinger bounds how long a closing connection may take to flush its
// queued output before it is closed anyway (default 5 s).
func WithCloseLinger(d time.Duration) Option {
	return durationOption("WithCloseLinger", func(c *config, d time.Duration) { c.closeLinger = d }, d)
}

// WithStopTimeout bounds the graceful stop that follows the end of Start's or
// Serve's context, or a Shutdown action (default 5 s).
func WithStopTimeout(d time.Duration) Option {
	return durationOption("WithStopTimeout", func(c *config, d time.Duration) { c.stopTimeout = d }, d)
}

// WithTicker calls the handler's OnTick on the first loop.
func WithTicker(on bool) Option { return func(c *config) { c.ticker = on } }

// WithTCPNoDelay sets TCP_NODELAY on TCP connections (default true).
func WithTCPNoDelay(on bool) Option { return func(c *config) { c.noDelay = on } }

// WithWorkerPool gives the engine a pool of n goroutines for Engine.Go.
func WithWorkerPool(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.fail("WithWorkerPool", "need at least one worker")
			return
		}
		c.workers = n
	}
}

// WithAncillary makes the loops read control messages: Unix stream
// connections receive passed descriptors (Conn.TakeFDs), and datagram sockets
// learn the local address each datagram came in on (Conn.ReceivedOn) and
// send replies from it. Without it reads are plain read(2) calls.
func WithAncillary(on bool) Option { return func(c *config) { c.ancillary = on } }

// WithUDPBatch sets how many datagrams one system call receives or sends
// on Linux (recvmmsg / sendmmsg; default 16); 1 makes it one call per
// datagram. Each datagram socket's batch holds n * 64 KiB of receive memory.
func WithUDPBatch(n int) Option {
	return func(c *config) {
		if n < 1 || n > 1024 {
			c.fail("WithUDPBatch", "need 1 <= n <= 1024")
			return
		}
		c.udpBatch = n
	}
}

// WithURingOff turns parts of the io_uring backend off (see
// poller.Options.URingOff): poller.URingCompletion leaves the ring to report
// readiness only, poller.URingDeferTaskrun sets it up without
// SINGLE_ISSUER and DEFER_TASKRUN. It serves measurements and kernels that
// mishandle a feature; other backends ignore it.
func WithURingOff(f poller.URingFeature) Option {
	return func(c *config) {
		if f&^(poller.URingCompletion|poller.URingDeferTaskrun) != 0 {
			c.fail("WithURingOff", "unknown io_uring feature")
			return
		}
		c.uringOff = f
	}
}

// WithRawWait lets each epoll or io_uring loop spend up to d (at most
// poller.MaxRawWait) of a blocking wait in a raw system call that keeps
// the loop's P, before it blocks in one the Go scheduler sees (see
// poller.Options.RawWait). With as many loops as GOMAXPROCS it saves
// the runtime's retakes of the loop's P: two io_uring loops serving HTTP
// without pipelining spent 0.8x the CPU per request with 1 ms, two epoll
// loops proxying short connections 0.95x per connection. The cost: goroutines
// that become ready during a raw wait wait for it to end. A wait skips its
// raw part when goroutines are already waiting for a P as it starts, and a
// locked loop then yields first, so handlers that hand their work to the
// worker pool lose little (an echo answering from the pool: 0.35x the rate
// of a plain echo before that skip, about level after); work woken by
// other means (timers, net.Conn goroutines) still pays. A negative d is
// refused; other backends ignore it.
func WithRawWait(d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			c.fail("WithRawWait", "negative duration")
			return
		}
		c.rawWait = d
	}
}

// WithBackend picks the pollers' backend: poller.Epoll (the default on
// Linux) or poller.IOURing. Where the kernel cannot give io_uring, the engine
// falls back to the default and logs why, once. With io_uring each loop's
// goroutine is locked to its OS thread, as a single-issuer ring requires
// (WithLockOSThread says what that asks of GOMAXPROCS).
func WithBackend(b poller.Backend) Option {
	return func(c *config) {
		switch b {
		case poller.Default, poller.Epoll, poller.IOURing, "kqueue", "iocp":
			c.backend = b
		default:
			c.fail("WithBackend", "unknown backend "+string(b))
		}
	}
}

// WithUDPOffload lets the kernel coalesce received datagrams (UDP GRO) and
// split one large send into datagrams (UDP GSO) where it supports them
// (Linux): handlers still see one OnTraffic per datagram, and replies of one
// size to one peer leave in one segmentation-offloaded send.
func WithUDPOffload(on bool) Option { return func(c *config) { c.udpOffload = on } }

// WithLogger sets where the engine logs (default slog.Default()).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l == nil {
			c.fail("WithLogger", "nil logger")
			return
		}
		c.logger = l
	}
}
