package loop

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/panjf2000/ants/v2"

	"github.com/sockloop/sockloop/poller"
)

const (
	engineNew int32 = iota
	engineRunning
	engineStopping
	engineStopped
)

// Engine is a set of event loops serving one Handler.
type Engine struct {
	h           Handler
	onReadEOF   ReadEOFHandler // h's optional callbacks, nil where it lacks them
	onDrain     DrainHandler
	onTimeout   TimeoutHandler
	onDialError DialErrorHandler
	onStop      StopHandler
	cfg         config
	loops       []*Loop
	listeners   []*listener
	pool        *ants.Pool
	state       atomic.Int32
	next        atomic.Uint32 // round-robin cursor
	wg          sync.WaitGroup
	mu          sync.Mutex // guards listeners before Start and the stop sequence
	stopOnce    sync.Once
	done        chan struct{}
	dropped     atomic.Int32  // connections that closed with output unsent while the engine stopped
	forced      atomic.Int32  // connections the stop closed when its context ended
	optWarned   atomic.Bool   // a connection's socket option failed and was logged
	handshakes  chan struct{} // a token per TLS handshake computing (WithTLSHandshakeConcurrency)
}

// New returns an engine with its loops created but not running. It fails
// with ErrNilHandler for a nil h, an *OptionError for an option value it
// cannot use, and a *HandlerError for a handler method that resembles an
// optional callback (OnReadEOF, OnDrain, OnTimeout, OnLoopTick,
// OnDialError, OnStop) but would never be called.
func New(h Handler, opts ...Option) (*Engine, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.err != nil {
		return nil, cfg.err
	}
	if h == nil {
		return nil, ErrNilHandler
	}
	if err := checkHandler(h); err != nil {
		return nil, err
	}
	if err := cfg.stream.probe(); err != nil {
		return nil, err
	}
	e := &Engine{h: h, cfg: cfg, done: make(chan struct{})}
	e.handshakes = make(chan struct{}, cfg.handshakeSlots())
	e.onReadEOF, _ = h.(ReadEOFHandler)
	e.onDrain, _ = h.(DrainHandler)
	e.onTimeout, _ = h.(TimeoutHandler)
	e.onDialError, _ = h.(DialErrorHandler)
	e.onStop, _ = h.(StopHandler)
	for i := range cfg.loops {
		p, err := e.newPoller()
		if err != nil {
			e.closeLoops()
			return nil, err
		}
		e.loops = append(e.loops, newLoop(e, i, p))
	}
	if cfg.workers > 0 {
		pool, err := ants.NewPool(cfg.workers)
		if err != nil {
			e.closeLoops()
			return nil, err
		}
		e.pool = pool
	}
	return e, nil
}

// newPoller makes a loop's poller with the configured backend, falling back
// to the platform's default (and saying so once) where the kernel lacks it.
func (e *Engine) newPoller() (poller.Poller, error) {
	opts := poller.Options{
		EdgeTriggered: e.cfg.edge,
		Backend:       e.cfg.backend,
		RingEntries:   ringEntries,
		URingOff:      e.cfg.uringOff,
		RawWait:       e.cfg.rawWait,
	}
	p, err := poller.New(opts)
	if err == nil || e.cfg.backend == poller.Default || !errors.Is(err, errors.ErrUnsupported) {
		return p, err
	}
	e.cfg.logger.Warn("loop: backend unavailable; using the default", "backend", e.cfg.backend, "err", err)
	e.cfg.backend = poller.Default
	opts.Backend = poller.Default
	return poller.New(opts)
}

// Backend returns the backend the engine's pollers use.
func (e *Engine) Backend() poller.Backend { return e.cfg.backend }

func (e *Engine) closeLoops() {
	for _, l := range e.loops {
		l.poll.Close()
	}
}

// Listen binds a listener for addr ("tcp://:9000", "tcp4://", "tcp6://",
// "udp://", "udp4://", "udp6://", "unix:///path") and returns the bound
// address; it must be called before Start. opts set the listener's own
// socket options (WithBacklog, WithFastOpen, WithDeferAccept; see
// ListenOption for why these are not engine options); an invalid or
// unsupported one fails Listen with an *OptionError.
func (e *Engine) Listen(addr string, opts ...ListenOption) (net.Addr, error) {
	network, address, err := parseURL(addr)
	if err != nil {
		return nil, err
	}
	ep, err := resolveEndpoint(network, address)
	if err != nil {
		return nil, err
	}
	lc := listenConfig{bufs: &e.cfg.stream, tls: e.cfg.tls, tlsReply: e.cfg.tlsReply}
	for _, o := range opts {
		o(&lc)
	}
	if err := lc.check(ep); err != nil {
		return nil, err
	}
	if ep.stream() {
		ep.tls, ep.tlsReply = lc.tls, lc.tlsReply
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.state.Load() != engineNew {
		return nil, ErrEngineRunning
	}
	ln, err := listen(ep, e.socketsFor(ep), &lc)
	if err != nil {
		return nil, err
	}
	e.listeners = append(e.listeners, ln)
	return ln.addr, nil
}

// socketsFor is how many sockets a listener gets: one per loop where the
// kernel balances between them, else one.
func (e *Engine) socketsFor(ep *endpoint) int {
	if e.cfg.reusePort && reusePortOption != 0 && ep.family != afUnix {
		return len(e.loops)
	}
	return 1
}

// Start boots the handler and runs the loops. The engine runs until Stop is
// called, a handler returns Shutdown, or ctx ends; in the last two cases it
// stops gracefully within WithStopTimeout.
func (e *Engine) Start(ctx context.Context) error {
	e.mu.Lock()
	if !e.state.CompareAndSwap(engineNew, engineRunning) {
		e.mu.Unlock()
		return ErrEngineRunning
	}
	e.mu.Unlock()
	if err := ctx.Err(); err != nil {
		e.abortStart()
		return err
	}
	if e.h.OnBoot(e) == Shutdown {
		e.abortStart()
		return ErrEngineStopped
	}
	for i, ln := range e.listeners {
		if e.cfg.noDelay {
			ln.presetNoDelay()
		}
		for j, fd := range ln.fds {
			owner := e.loops[(i+j)%len(e.loops)]
			if len(ln.fds) == len(e.loops) {
				owner = e.loops[j]
			}
			owner.listeners[fd] = &listenSocket{listener: ln, fd: fd}
		}
	}
	if e.cfg.ticker {
		e.loops[0].startTicker(e.h.OnTick)
	}
	if h, ok := e.h.(LoopTickHandler); ok {
		for _, l := range e.loops {
			l.startTicker(func() (time.Duration, Action) { return h.OnLoopTick(l) })
		}
	}
	for _, l := range e.loops {
		e.wg.Add(1)
		go l.run()
	}
	go e.waitLoops()
	context.AfterFunc(ctx, e.stopInBackground)
	return nil
}

func (e *Engine) abortStart() {
	for _, ln := range e.listeners {
		ln.close()
	}
	e.closeLoops()
	if e.pool != nil {
		e.pool.Release()
	}
	e.state.Store(engineStopped)
	close(e.done)
}

func (e *Engine) waitLoops() {
	e.wg.Wait()
	for _, ln := range e.listeners {
		ln.unlink()
	}
	if e.pool != nil {
		e.pool.ReleaseTimeout(e.cfg.stopTimeout)
	}
	e.state.Store(engineStopped)
	e.h.OnShutdown(e)
	close(e.done)
}

// stopInBackground stops the engine gracefully, bounded by WithStopTimeout,
// without blocking the caller (a loop or a context's AfterFunc).
func (e *Engine) stopInBackground() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), e.cfg.stopTimeout)
		defer cancel()
		e.Stop(ctx)
	}()
}

// Stop stops accepting and closes every connection once its queued output is
// flushed, or, where the handler is a StopHandler, when OnStop or the
// handler later asks, and returns once every loop has ended and every
// descriptor of the engine is closed. ctx bounds the stop: when it ends,
// the connections still open are closed at once, and Stop returns, after
// the loops end, a *StopError that counts them (Forced) and wraps ctx's
// error. A connection closed with output unsent (ctx ended, or its
// WithCloseLinger ran out) also makes the error a *StopError (Dropped).
func (e *Engine) Stop(ctx context.Context) error {
	if e.state.Load() == engineNew {
		e.mu.Lock()
		if e.state.CompareAndSwap(engineNew, engineStopping) {
			e.mu.Unlock()
			e.abortStart()
			return nil
		}
		e.mu.Unlock()
	}
	e.stopOnce.Do(func() {
		e.state.CompareAndSwap(engineRunning, engineStopping)
		for _, l := range e.loops {
			l.Submit(l.beginStop)
		}
	})
	select {
	case <-e.done:
		return e.stopError(nil)
	case <-ctx.Done():
	}
	for _, l := range e.loops {
		l.Submit(l.forceStop)
	}
	<-e.done
	return e.stopError(ctx.Err())
}

// stopError is what a stop that ended reports: cause (nil, or the stop's
// context's error) when it closed no connection by force and none dropped
// output, else a *StopError that counts them.
func (e *Engine) stopError(cause error) error {
	forced, dropped := int(e.forced.Load()), int(e.dropped.Load())
	if forced == 0 && dropped == 0 {
		return cause
	}
	if cause == nil {
		cause = ErrCloseLinger
	}
	return &StopError{Forced: forced, Dropped: dropped, Err: cause}
}

// Done is closed once the engine has stopped.
func (e *Engine) Done() <-chan struct{} { return e.done }

// Loops returns the engine's loops.
func (e *Engine) Loops() []*Loop { return e.loops }

// CountConnections returns the number of open connections across all loops;
// safe from any goroutine.
func (e *Engine) CountConnections() int {
	n := 0
	for _, l := range e.loops {
		n += int(l.nconns.Load())
	}
	return n
}

// errNoWorkerPool is the OptionError of Go on an engine without a pool.
var errNoWorkerPool = errors.New("engine has no worker pool")

// Go runs f on the engine's worker pool (WithWorkerPool), off the loops, for
// handler work that would block a loop; f reports back with Conn.AsyncWrite,
// Conn.Wake or Loop.Submit.
func (e *Engine) Go(f func()) error {
	if e.pool == nil {
		return &OptionError{Option: "WithWorkerPool", Err: errNoWorkerPool}
	}
	if e.state.Load() != engineRunning {
		return ErrEngineStopped
	}
	return e.pool.Submit(f)
}

// pick chooses the loop for a new connection by the balancing policy.
func (e *Engine) pick(hash uint32) *Loop {
	switch e.cfg.balancing {
	case LeastConnections:
		best := e.loops[0]
		for _, l := range e.loops[1:] {
			if l.nconns.Load() < best.nconns.Load() {
				best = l
			}
		}
		return best
	case SourceAddrHash:
		return e.loops[hash%uint32(len(e.loops))]
	}
	return e.loops[(e.next.Add(1)-1)%uint32(len(e.loops))]
}

// Serve runs h on a new engine listening on addr until ctx ends or a handler
// returns Shutdown, then stops it gracefully; it returns nil after a clean
// stop, and a *StopError when connections had to close with output unsent.
func Serve(ctx context.Context, h Handler, addr string, opts ...Option) error {
	e, err := New(h, opts...)
	if err != nil {
		return err
	}
	if _, err := e.Listen(addr); err != nil {
		e.Stop(ctx)
		return err
	}
	if err := e.Start(ctx); err != nil {
		if ctx.Err() != nil {
			return nil // ended before it began: still a clean stop
		}
		return err
	}
	<-e.done
	return e.stopError(nil)
}
