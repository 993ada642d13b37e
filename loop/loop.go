package loop

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sockloop/sockloop/internal/buffer"
	"github.com/sockloop/sockloop/internal/completion"
	"github.com/sockloop/sockloop/internal/sched"
	"github.com/sockloop/sockloop/poller"
)

// maxIovecs is how many slices one gather write takes.
const maxIovecs = completion.MaxIovecs

// Loop is one event loop: a goroutine, its poller, its connections, timers
// and tasks.
type Loop struct {
	eng   *Engine
	index int
	poll  poller.Poller
	ready []poller.Ready
	pipes []relayPipe // empty pipes for the next relays (relay.go)
	// closeForgets: close(2) takes a socket out of the poller when no other
	// descriptor refers to it (epoll), so a close needs no Delete first.
	closeForgets bool
	conns        connTable
	listeners    map[int]*listenSocket
	readBuf      []byte
	epoch        time.Time
	now          int64 // nanoseconds since epoch, read once per turn

	timerMu sync.Mutex
	timers  timerHeap

	taskMu  sync.Mutex
	tasks   []func()
	running []func()
	hasTask atomic.Bool

	dirty   []*Conn                   // connections touched during the current callback
	gath    [][]byte                  // scratch for gather writes
	iov     []iovec                   // scratch for gather writes
	oob     []byte                    // scratch for received control data (WithAncillary)
	oobOut  []byte                    // scratch for control data sent with replies
	fileBuf []byte                    // scratch for emulated sendfile (fileScratch)
	tlsBuf  []byte                    // plaintext offered in place (tlsScratch)
	tickers []*Timer                  // OnTick's and OnLoopTick's (loop_state.go)
	value   atomic.Pointer[loopValue] // SetValue's
	segs    buffer.SegCache           // output queues' segment arrays, for connections with output

	counts    counters                   // stats.go: written by the loop only
	published [numCounters]atomic.Uint64 // counts as of the end of the last turn

	// The completion path (conn_ring.go); ops is nil without one.
	ops         completion.Completer
	connector   completion.Connector  // ops' connect, where it has one
	boundsRecv  bool                  // ops' receives count the bytes they may bring
	batchSends  bool                  // ops reach the kernel at the next Wait: send at the turn's end
	gen         uint32                // last generation given to a connection
	bufRefs     []int32               // counts of each provided buffer in use
	bufDone     []func(error)         // per provided buffer: drop one count
	bufLent     []bool                // per provided buffer: counted by some output
	lent        int                   // provided buffers counted by some output
	freed       bool                  // a provided buffer came back this turn
	curID       int32                 // the provided buffer being served, or -1
	curBuf      []byte                // its bytes
	starved     []*Conn               // receives to arm again once buffers return
	redeliver   []*Conn               // input held while paused, to serve now
	sends       []*Conn               // sends to issue before the next Wait
	zombies     map[uint64]*Conn      // closed, with operations in flight
	closing     map[int]*listenSocket // closed listeners whose accept has not ended
	unlistened  []func()              // called once closing empties
	starvations int                   // receives ended for want of buffers, for tests

	waiting  atomic.Bool // in or about to enter Wait
	nconns   atomic.Int32
	stopping bool // the engine began to stop: listeners closed, connections told
	forced   bool // the stop's context ended: connections closed at once
	ended    bool // guarded by taskMu: the goroutine has returned
}

func newLoop(e *Engine, index int, p poller.Poller) *Loop {
	ops := completion.Of(p)
	if ops != nil {
		ops.SizeBuffers(ringBuffers, min(e.cfg.readBuf, maxRingBuffer))
	}
	connector, _ := ops.(completion.Connector)
	return &Loop{
		eng:          e,
		index:        index,
		poll:         p,
		ready:        make([]poller.Ready, 256),
		listeners:    make(map[int]*listenSocket),
		readBuf:      make([]byte, e.cfg.readBuf),
		epoch:        time.Now(),
		gath:         make([][]byte, 0, maxIovecs),
		iov:          make([]iovec, maxIovecs),
		ops:          ops,
		connector:    connector,
		boundsRecv:   ops != nil && ops.BoundsRecv(),
		closeForgets: poller.ForgetsOnClose(p),
		batchSends:   ops != nil && ops.Batched(),
		curID:        -1,
		zombies:      make(map[uint64]*Conn),
	}
}

// Index returns the loop's position in Engine.Loops.
func (l *Loop) Index() int { return l.index }

// Engine returns the engine the loop belongs to.
func (l *Loop) Engine() *Engine { return l.eng }

// CountConnections returns the number of open connections on the loop; safe
// from any goroutine.
func (l *Loop) CountConnections() int { return int(l.nconns.Load()) }

func (l *Loop) clock() int64 { return int64(time.Since(l.epoch)) }

func (l *Loop) run() {
	defer l.eng.wg.Done()
	locked := l.eng.cfg.lockThread || l.eng.cfg.backend == poller.IOURing
	if locked {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
	}
	l.now = l.clock()
	l.armListeners()
	runnable := sched.NewProbe()
	busy := false
	for !l.finished() {
		if len(l.sends) > 0 {
			l.issueSends() // the turn's sends, which this Wait hands over
		}
		// After a turn with work, look again without blocking, and yield the
		// processor once before blocking when that finds nothing. A loop
		// that blocks in the kernel after every turn keeps the Go runtime's
		// sysmon retaking its P and waking every 20 us, which cost 11.6% of
		// a busy HTTP server's CPU (gnet, which polls this way: 0.3%).
		// A loop locked to its thread (always on io_uring) yields only when
		// goroutines wait for a P: there Gosched hands the P to another
		// thread and back, two futex wake-ups and context switches each
		// time (0.005 futex calls per pipelined echo message on io_uring
		// when it always yielded), while without it those goroutines wait
		// until sysmon retakes the P of the blocked loop. A raw wait
		// (WithRawWait), taken while no goroutine waits for a P, is that
		// look already: it ends at once if anything is ready and keeps the
		// P otherwise, so it follows a busy turn directly, one system call
		// instead of an empty look and the wait.
		timeout := l.waitTimeout()
		if busy && (!poller.WaitsRaw(l.poll) || runnable.Waiting()) {
			timeout = 0
		}
		l.waiting.Store(true)
		n, err := l.poll.Wait(l.ready, timeout)
		l.waiting.Store(false)
		l.now = l.clock()
		if err != nil {
			l.eng.cfg.logger.Error("loop: poller failed; closing the loop", "loop", l.index, "err", err)
			l.beginStop()
			l.forceStop()
			break
		}
		for _, r := range l.ready[:n] {
			l.dispatch(r)
		}
		worked := l.completeOps() || n > 0
		if busy && !worked && (!locked || runnable.Waiting()) {
			runtime.Gosched()
		}
		busy = worked
		l.runTasks()
		l.runTimers()
		l.publish()
	}
	l.end()
	l.closeSparePipes()
	l.publish()
	// Closed here, on the loop's own (possibly locked) thread: an io_uring
	// ring belongs to the thread that used it, and its teardown would
	// otherwise interrupt whatever runs next on that thread.
	if err := l.poll.Close(); err != nil {
		l.eng.cfg.logger.Error("loop: closing the poller", "loop", l.index, "err", err)
	}
}

// end refuses further tasks and runs those already queued; every connection
// is closed by now, so they report their errors to their callers.
func (l *Loop) end() {
	l.taskMu.Lock()
	l.ended = true
	left := l.tasks
	l.tasks = nil
	l.taskMu.Unlock()
	for _, f := range left {
		f()
	}
	l.listenersClosed()
}

// finished reports whether a stopping loop has nothing left to serve.
// Operations still in flight keep it running until their last completions
// arrive, so that no buffer goes back while the kernel may use it.
func (l *Loop) finished() bool {
	return l.stopping && l.conns.len() == 0 && len(l.zombies) == 0 && len(l.closing) == 0
}

func (l *Loop) armListeners() {
	for fd, ls := range l.listeners {
		if !ls.ep.stream() {
			delete(l.listeners, fd)
			l.openPacketConn(fd, ls.listener)
			continue
		}
		if l.ops != nil && ringAccept {
			l.armAccept(ls)
			continue
		}
		if err := l.poll.Add(fd, poller.Readable); err != nil {
			l.eng.cfg.logger.Error("loop: cannot watch listener", "addr", ls.addr, "err", err)
		}
	}
}

func (l *Loop) dispatch(r poller.Ready) {
	if c := l.conns.get(r.Fd); c != nil {
		c.drv.ready(c, r.Events)
		// A close found by the event (a reset, a failed dial) ran OnClose,
		// which may have written to or closed other connections.
		l.settle()
		return
	}
	if ls, ok := l.listeners[r.Fd]; ok {
		l.accept(ls)
	}
}

// waitTimeout is how long the poller may block: until the next timer, or not
// at all when tasks are waiting.
func (l *Loop) waitTimeout() time.Duration {
	if l.hasTask.Load() || l.opsPending() {
		return 0
	}
	return l.untilNextTimer()
}

// Submit runs f on the loop's goroutine; safe from any goroutine. Tasks run in
// the order submitted. It returns ErrEngineStopped once the loop has ended.
func (l *Loop) Submit(f func()) error {
	l.taskMu.Lock()
	if l.ended {
		l.taskMu.Unlock()
		return ErrEngineStopped
	}
	l.tasks = append(l.tasks, f)
	l.taskMu.Unlock()
	if !l.hasTask.Swap(true) {
		l.poll.Wake()
	}
	return nil
}

func (l *Loop) runTasks() {
	if !l.hasTask.Load() {
		return
	}
	l.taskMu.Lock()
	l.hasTask.Store(false)
	l.tasks, l.running = l.running[:0], l.tasks
	l.taskMu.Unlock()
	for i, f := range l.running {
		l.running[i] = nil
		f()
		l.settle()
	}
}

// beginStop closes the loop's listeners and tells every connection
// (stop.go).
func (l *Loop) beginStop() {
	if l.stopping {
		return
	}
	l.stopping = true
	for fd, ls := range l.listeners {
		l.closeListener(fd, ls)
	}
	for _, t := range l.tickers {
		t.Stop()
	}
	l.tellStop()
}

// forceStop closes every remaining connection at once, counting them.
func (l *Loop) forceStop() {
	l.beginStop()
	l.forced = true
	n := 0
	l.conns.each(func(c *Conn) {
		if c.stream {
			n++
		}
		c.closeNow(ErrEngineStopped)
	})
	l.eng.forced.Add(int32(n))
}

// Stopping reports whether the engine has begun to stop; for the loop's
// callbacks, which may finish their work and close at a request boundary.
func (l *Loop) Stopping() bool { return l.stopping }
