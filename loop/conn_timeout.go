package loop

import (
	"time"
)

// timeouts are a connection's read, write and idle timeouts (0: none).
type timeouts struct{ read, write, idle time.Duration }

// SetReadTimeout closes the connection with ErrReadTimeout when nothing
// arrives for d while it is reading (0: never).
func (c *Conn) SetReadTimeout(d time.Duration) { c.ownTimeouts().read = max(d, 0); c.armDeadline() }

// SetWriteTimeout closes the connection with ErrWriteTimeout when queued
// output makes no progress for d (0: never).
func (c *Conn) SetWriteTimeout(d time.Duration) { c.ownTimeouts().write = max(d, 0); c.armDeadline() }

// SetIdleTimeout closes the connection with ErrIdleTimeout when its peer is
// idle for d (0: never): it sends nothing, and, while the connection has
// stopped reading because its output waits on the peer, takes none of that
// output. What the connection writes to a peer that stays silent does not
// count, so such a peer idles out; WithWriteTimeout bounds output that
// makes no progress.
func (c *Conn) SetIdleTimeout(d time.Duration) { c.ownTimeouts().idle = max(d, 0); c.armDeadline() }

// ownTimeouts gives the connection timeouts of its own, copied from the
// engine's, which every connection shares until it sets one.
func (c *Conn) ownTimeouts() *timeouts {
	if c.to == &c.l.eng.cfg.timeouts {
		own := *c.to
		c.to = &own
	}
	return c.to
}

// armDeadline schedules the connection's one timer at the earliest moment a
// timeout could expire. Activity only moves timestamps; the timer looks at
// them when it fires, so the hot path never touches the timer heap.
func (c *Conn) armDeadline() {
	if c.state == stateClosed || !c.stream {
		return
	}
	next, ok := c.nextDeadline()
	if !ok {
		if c.deadline != nil {
			c.deadline.Stop()
		}
		return
	}
	if c.deadline == nil {
		c.deadline = &Timer{l: c.l, f: c.checkDeadlines, index: -1}
	}
	c.l.scheduleAt(c.deadline, next)
}

// nextDeadline returns when the timer should look next. A write timeout
// without queued output has no deadline yet, so the timer also looks again
// after the shortest timeout, by which output queued meanwhile would expire.
func (c *Conn) nextDeadline() (int64, bool) {
	var next int64
	set := func(t int64) {
		if next == 0 || t < next {
			next = t
		}
	}
	if c.to.read > 0 {
		set(c.lastRead + int64(c.to.read))
	}
	if c.to.write > 0 {
		if !c.out.Empty() {
			set(c.lastWrite + int64(c.to.write))
		} else {
			set(c.l.now + int64(c.to.write))
		}
	}
	if c.to.idle > 0 {
		set(c.peerActive() + int64(c.to.idle))
	}
	return next, next != 0
}

// peerActive is when the peer was last seen active, for the idle timeout:
// its last input, or, while the connection is not reading, the last
// progress of the output it is reading.
func (c *Conn) peerActive() int64 {
	if c.reading() {
		return c.lastRead
	}
	return max(c.lastRead, c.lastWrite)
}

func (c *Conn) checkDeadlines() {
	now := c.l.now
	switch {
	case c.to.read > 0 && c.reading() && now-c.lastRead >= int64(c.to.read):
		c.expired(ErrReadTimeout)
	case c.to.write > 0 && !c.out.Empty() && now-c.lastWrite >= int64(c.to.write):
		c.expired(ErrWriteTimeout)
	case c.to.idle > 0 && now-c.peerActive() >= int64(c.to.idle):
		c.expired(ErrIdleTimeout)
	default:
		if c.to.read > 0 && !c.reading() {
			c.lastRead = now // not reading: the read clock does not run
		}
		c.armDeadline()
	}
}

// expired closes a connection whose timeout err expired, at once, unless a
// TimeoutHandler has its say: Close closes after its last output is
// flushed, None starts the expired clock again.
func (c *Conn) expired(err error) {
	switch err {
	case ErrReadTimeout:
		c.l.count(cReadTimeouts, 1)
	case ErrWriteTimeout:
		c.l.count(cWriteTimeouts, 1)
	case ErrIdleTimeout:
		c.l.count(cIdleTimeouts, 1)
	}
	h := c.l.eng.onTimeout
	if h == nil || !c.seesTraffic() {
		c.closeNow(err)
		return
	}
	switch h.OnTimeout(c, err) {
	case None:
		switch err {
		case ErrWriteTimeout:
			c.lastWrite = c.l.now
		default:
			c.lastRead = c.l.now
		}
		c.armDeadline()
	case Close:
		c.CloseWithError(err)
	case Shutdown:
		c.l.eng.stopInBackground()
		c.armDeadline()
	}
}

// reading reports whether the connection is waiting for input.
func (c *Conn) reading() bool { return c.drv.reading(c) }
