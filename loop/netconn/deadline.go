package netconn

import (
	"sync"
	"time"
)

// deadline is one direction's deadline: a channel that is closed while the
// deadline has passed, so that a blocked call can wait on it beside its
// other wake-ups. Moving the deadline into the future or to none after it
// passed opens a new channel; moving it while a call waits keeps the
// channel that call holds, so the call goes on waiting or wakes as the new
// deadline says.
type deadline struct {
	mu    sync.Mutex
	when  time.Time   // zero: none
	timer *time.Timer // fires at when; reused across Set calls
	ch    chan struct{}
	shut  bool // ch is closed
}

func newDeadline() *deadline { return &deadline{ch: make(chan struct{})} }

// set moves the deadline to t (zero: none).
func (d *deadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.when = t
	if d.timer != nil {
		d.timer.Stop() // a timer that fires anyway finds when moved (expire)
	}
	wait := time.Until(t)
	switch {
	case !t.IsZero() && wait <= 0:
		d.closeLocked()
		return
	case d.shut:
		d.ch, d.shut = make(chan struct{}), false
	}
	if t.IsZero() {
		return
	}
	if d.timer == nil {
		d.timer = time.AfterFunc(wait, d.expire)
	} else {
		d.timer.Reset(wait)
	}
}

// expire closes the channel if the deadline in force has passed; a timer
// stopped too late to keep it from firing finds a later deadline, or none.
func (d *deadline) expire() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.when.IsZero() {
		return
	}
	if wait := time.Until(d.when); wait > 0 {
		d.timer.Reset(wait)
		return
	}
	d.closeLocked()
}

func (d *deadline) closeLocked() {
	if !d.shut {
		close(d.ch)
		d.shut = true
	}
}

// wait returns a channel that is closed once the deadline passes.
func (d *deadline) wait() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.ch
}

// passed reports whether the deadline has passed.
func (d *deadline) passed() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.shut
}

// stop releases the timer.
func (d *deadline) stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		d.timer.Stop()
	}
}
