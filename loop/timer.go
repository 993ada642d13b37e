package loop

import (
	"container/heap"
	"time"
)

// Timer is a function scheduled on a loop by AfterFunc or Every.
type Timer struct {
	l      *Loop
	when   int64 // loop clock, nanoseconds
	period int64 // > 0 for Every
	f      func()
	index  int // position in the heap, -1 when not scheduled
}

// AfterFunc runs f on the loop once d has passed; safe from any goroutine.
func (l *Loop) AfterFunc(d time.Duration, f func()) *Timer {
	t := &Timer{l: l, f: f, index: -1}
	l.schedule(t, d)
	return t
}

// Every runs f on the loop each time d passes until the Timer is stopped;
// safe from any goroutine. A d below one millisecond is raised to it.
func (l *Loop) Every(d time.Duration, f func()) *Timer {
	d = max(d, time.Millisecond)
	t := &Timer{l: l, f: f, index: -1, period: int64(d)}
	l.schedule(t, d)
	return t
}

// Stop cancels the timer and reports whether it was still scheduled; safe
// from any goroutine. A repeating timer stopped from its own f does not run again.
func (t *Timer) Stop() bool {
	l := t.l
	l.timerMu.Lock()
	defer l.timerMu.Unlock()
	t.period = 0
	if t.index < 0 {
		return false
	}
	heap.Remove(&l.timers, t.index)
	return true
}

// Reset reschedules the timer to run d from now and reports whether it was
// still scheduled; safe from any goroutine.
func (t *Timer) Reset(d time.Duration) bool {
	l := t.l
	l.timerMu.Lock()
	was := t.index >= 0
	l.timerMu.Unlock()
	l.schedule(t, d)
	return was
}

func (l *Loop) schedule(t *Timer, d time.Duration) {
	l.scheduleAt(t, l.clock()+int64(max(d, 0)))
}

// scheduleAt (re)schedules t at a time on the loop's clock.
func (l *Loop) scheduleAt(t *Timer, when int64) {
	l.timerMu.Lock()
	if t.index >= 0 {
		heap.Remove(&l.timers, t.index)
	}
	t.when = when
	heap.Push(&l.timers, t)
	first := t.index == 0
	l.timerMu.Unlock()
	// A new earliest timer must shorten a Wait already under way. The loop
	// sets waiting before it reads the heap for its timeout, so a timer
	// pushed after that read always sees waiting and wakes it.
	if first && l.waiting.Load() {
		l.poll.Wake()
	}
}

// untilNextTimer is how long until the earliest timer is due (-1: none).
func (l *Loop) untilNextTimer() time.Duration {
	l.timerMu.Lock()
	defer l.timerMu.Unlock()
	if len(l.timers) == 0 {
		return -1
	}
	return time.Duration(max(l.timers[0].when-l.now, 0))
}

// runTimers runs every timer that is due, each followed by a settle.
func (l *Loop) runTimers() {
	for {
		l.timerMu.Lock()
		if len(l.timers) == 0 || l.timers[0].when > l.now {
			l.timerMu.Unlock()
			return
		}
		t := heap.Pop(&l.timers).(*Timer)
		l.timerMu.Unlock()
		t.f()
		l.settle()
		l.timerMu.Lock()
		if t.period > 0 && t.index < 0 {
			t.when = l.now + t.period
			heap.Push(&l.timers, t)
		}
		l.timerMu.Unlock()
	}
}

// timerHeap orders timers by due time (container/heap).
type timerHeap []*Timer

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[i].when < h[j].when }
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *timerHeap) Push(x any) {
	t := x.(*Timer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	t.index = -1
	return t
}
