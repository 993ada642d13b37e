package loop

import (
	"iter"
	"time"
)

// What a handler keeps per loop, and what it can see of a loop: its own
// value, its connections, and its own ticker (LoopTickHandler).

// LoopTickHandler is implemented by handlers that want a tick on every
// loop, as Handler.OnTick has one on the first: OnLoopTick runs on each
// loop once it starts and then after the delay it returns, until the delay
// is <= 0 or the engine stops; Shutdown stops the engine.
type LoopTickHandler interface {
	OnLoopTick(l *Loop) (delay time.Duration, action Action)
}

// loopValue boxes a loop's value, so that an atomic pointer can hold any.
type loopValue struct{ v any }

// SetValue stores v with the loop for the handler's own use (a per-loop
// cache, a registry, buffers); safe from any goroutine.
func (l *Loop) SetValue(v any) { l.value.Store(&loopValue{v}) }

// Value returns what SetValue stored, nil before; safe from any goroutine.
func (l *Loop) Value() any {
	if b := l.value.Load(); b != nil {
		return b.v
	}
	return nil
}

// Conns yields the loop's open stream connections (those whose OnOpen has
// run and whose OnClose has not); call it on the loop. A connection closed
// during the visit is not yielded after its close, and one opened during
// it may or may not be.
func (l *Loop) Conns() iter.Seq[*Conn] {
	return func(yield func(*Conn) bool) {
		visit := func(c *Conn) bool {
			if !c.stream || (c.state != stateOpen && c.state != stateClosing) {
				return true
			}
			return yield(c)
		}
		for i := 0; i < len(l.conns.byFd); i++ {
			if c := l.conns.byFd[i]; c != nil && !visit(c) {
				return
			}
		}
		for _, c := range l.conns.large {
			if !visit(c) {
				return
			}
		}
	}
}

// startTicker runs tick on the loop at once and then after each delay it
// returns, until the delay is <= 0, it returns Shutdown, or the loop stops.
func (l *Loop) startTicker(tick func() (time.Duration, Action)) {
	var t *Timer
	t = l.AfterFunc(0, func() {
		delay, action := tick()
		if action == Shutdown {
			l.eng.stopInBackground()
			return
		}
		if delay > 0 && !l.stopping {
			t.Reset(delay)
		}
	})
	l.tickers = append(l.tickers, t)
}
