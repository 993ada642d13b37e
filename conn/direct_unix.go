//go:build unix

package conn

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// The direct path: like Go's net, which reads first and waits only on
// EAGAIN, a call of RecvInto, Send, SendAll, RecvMsgInto or SendMsg makes
// its system call at once on the descriptor, on its own goroutine, and goes
// through the runtime poller (syscall.RawConn, with its locks, deadline
// checks and closure call) only when it has to wait. The per-call cost of
// the poller path is what made these calls slower than net.Conn's Read and
// Write. The direct path is off while a net.Conn deadline is set in the
// call's direction, so an expired deadline still fails the call before it
// tries, as in package net.

// Direct modes, per direction (Socket.direct), kept by setDirect.
const (
	directOff  int32 = iota // a deadline is set: every call goes through the poller
	directWait              // try at once; on EAGAIN wait in the poller
	directOnce              // non-blocking mode: the attempt is the whole call
)

// gate serializes the calls of one direction of one operation kind and
// keeps the descriptor open while a direct attempt uses it. mu is held for
// a whole call, whichever path it takes; busy is set only while a direct
// attempt may touch the descriptor outside the poller, and Close waits for
// it to clear before it closes the file.
type gate struct {
	mu   sync.Mutex
	busy atomic.Bool
}

// enter takes the gate for a direct attempt. It reports false, holding
// nothing, if another call of the direction holds it (that caller is on
// the poller path or about to be: the caller queues there behind it) or s
// is closed (the poller path reports the closed error).
func (g *gate) enter(s *Socket) bool {
	if !g.mu.TryLock() {
		return false
	}
	g.busy.Store(true)
	if s.closed.Load() { // after busy is set: Close sets closed, then waits on busy
		g.busy.Store(false)
		g.mu.Unlock()
		return false
	}
	return true
}

// leave ends a direct attempt and releases the gate.
func (g *gate) leave() {
	g.busy.Store(false)
	g.mu.Unlock()
}

// drain waits for a direct attempt in flight to finish; closed is set.
// An attempt is one non-blocking system call, so this is short.
func (g *gate) drain() {
	for g.busy.Load() {
		runtime.Gosched()
	}
}

// directMode returns the direct mode of direction write (or read) for a
// call with flags: MSG_DONTWAIT makes a waiting mode non-blocking.
func (s *Socket) directMode(write bool, flags MsgFlag) int32 {
	m := s.rdirect.Load()
	if write {
		m = s.wdirect.Load()
	}
	if m == directWait && flags&MSG_DONTWAIT != 0 {
		m = directOnce
	}
	return m
}

// setDirect recomputes the direct modes from the timeout and the net.Conn
// deadlines; s.mu is held (or s not yet shared).
func (s *Socket) setDirect() {
	m := directWait
	if s.timeout == 0 {
		m = directOnce
	}
	r, w := m, m
	if !s.rdl.IsZero() {
		r = directOff
	}
	if !s.wdl.IsZero() {
		w = directOff
	}
	s.rdirect.Store(r)
	s.wdirect.Store(w)
}
