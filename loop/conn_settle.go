package loop

import "os"

// The end of every callback. Whatever runs a handler's callback (a read or
// a receive, a task, a timer, a readiness report) ends with Loop.settle,
// once, and OnTraffic's callers do so through traffic: output written
// during the callback leaves in one gathered send per connection, borrowed
// input is copied before the next read overwrites it, closes the handler
// asked for begin, and reading follows the new backpressure state.

// touch records that c has output or a close to settle after the callback.
func (l *Loop) touch(c *Conn) {
	if !c.dirty {
		c.dirty = true
		l.dirty = append(l.dirty, c)
	}
}

// settle runs after every callback: it flushes the connections that were
// written to, copies what the kernel did not take out of borrowed memory,
// and carries out closes that were asked for.
func (l *Loop) settle() {
	for i := 0; i < len(l.dirty); i++ {
		c := l.dirty[i]
		l.dirty[i] = nil
		c.dirty = false
		c.settle()
	}
	l.dirty = l.dirty[:0]
}

// settle ends a callback for a connection it touched, and is the only place
// that does: it sends the queued output (one gathered send for all the
// callback wrote), copies what the kernel did not take out of the input it
// borrowed, which the next read overwrites, starts a close the handler
// asked for, and brings reading and the poller in line with the new state.
func (c *Conn) settle() {
	if c.state == stateClosed {
		return
	}
	if c.state != stateConnecting && !c.drv.send(c) {
		return
	}
	c.out.Detach()
	if c.wr&writeCloseAsked != 0 && c.state != stateClosing {
		c.closeGracefully(c.closeError())
		return
	}
	c.afterFlush()
}

// traffic offers the input in c.in to OnTraffic and ends the callback: it
// closes descriptors the handler did not take, settles (the end of every
// callback, Loop.settle), and keeps what the handler left unconsumed. held
// bytes that follow c.in in memory belong to the input but were not offered
// this time (a completion driver's held input); they are kept with the rest.
// Settling comes before keeping: output may borrow the input's memory until
// Detach copies it, so the connection's own buffer must not go back to the
// pool before. It reports whether the connection is still open.
func (c *Conn) traffic(held int) bool {
	if c.sec != nil {
		return c.sec.traffic(c, held)
	}
	c.onTraffic()
	if c.state == stateClosed {
		return false
	}
	if held > 0 {
		c.in = c.in[:len(c.in)+held] // c.in is a suffix of what was offered
	}
	if c.x != nil && len(c.x.fds) > 0 {
		c.closeUntakenFDs()
	}
	c.l.settle()
	c.keepInput()
	return c.alive()
}

// keepInput moves what the handler left unconsumed out of the loop's read
// buffer, which the next read of any connection overwrites.
func (c *Conn) keepInput() {
	if c.state == stateClosed {
		return
	}
	if len(c.in) == 0 {
		c.in = nil
		c.stash.Release()
		return
	}
	if c.stash.Empty() {
		c.in = c.stash.Keep(c.in)
	}
}

// afterFlush follows every send: it finishes a close or half-close whose
// output drained, applies backpressure (stopping reading above the
// high-water mark, resuming at the low one, OnDrain) and syncs the driver.
// It reports whether the connection is still open.
func (c *Conn) afterFlush() bool {
	if c.state == stateClosed {
		return false
	}
	if c.sec != nil && len(c.sec.pending) > 0 && c.out.Len() <= c.l.eng.cfg.lowWater {
		if c.sec.pump(c); !c.alive() {
			return false
		}
	}
	if c.out.Empty() {
		if c.state == stateClosing {
			return c.closeNow(c.closeError())
		}
		if c.wr&(writeShutAsked|writeShut) == writeShutAsked && (c.sec == nil || c.sec.phase >= tlsLive) {
			c.wr |= writeShut
			if err := shutdownWrite(c.fd); err != nil {
				return c.closeNow(os.NewSyscallError("shutdown", err))
			}
			if c.rd&readEOF != 0 {
				return c.closeNow(nil)
			}
		}
	}
	cfg := &c.l.eng.cfg
	size := c.queuedBytes()
	switch {
	case c.rd&readBackpressure == 0 && size > cfg.highWater:
		c.rd |= readBackpressure
		c.l.count(cPaused, 1)
		c.wr |= writeOverHigh
	case c.rd&readBackpressure != 0 && size <= cfg.lowWater:
		c.rd &^= readBackpressure
		c.lastRead = c.l.now // the read timeout counts from when reading resumes
	}
	if link := c.linkIn(); link != nil {
		link.drained()
	}
	if c.wr&writeOverHigh != 0 && size <= cfg.lowWater {
		c.wr &^= writeOverHigh
		// Output of a connection the handler has not heard of (a TLS
		// handshake's, a plaintext reply) owes it no OnDrain.
		if h := c.l.eng.onDrain; h != nil && !c.hidden() {
			c.act(h.OnDrain(c))
		}
	}
	c.drv.sync(c)
	return c.alive()
}

// act carries out the action a callback returned.
func (c *Conn) act(a Action) {
	switch a {
	case Close:
		if c.stream {
			c.CloseWithError(nil)
		}
	case Shutdown:
		c.l.eng.stopInBackground()
	}
}
