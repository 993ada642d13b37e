package loop

// A stop in two steps. beginStop closes the listeners and tells every
// connection; with a StopHandler the connections it keeps go on serving
// (dials from the loop included) until the handler closes them or the
// stop's context ends and forceStop closes what is left. A loop ends once
// it has no connection left (finished).

// tellStop tells the loop's connections that the engine is stopping: those
// the handler can finish get OnStop, the rest close once their output is
// flushed.
func (l *Loop) tellStop() {
	var open []*Conn
	l.conns.each(func(c *Conn) {
		switch {
		case l.eng.onStop == nil || !c.stream:
			c.closeGracefully(ErrEngineStopped)
		case c.state == stateOpen:
			open = append(open, c)
		}
		// A dial still connecting is told when it opens.
	})
	// OnStop may close or dial connections, which changes the table: the
	// connections are listed first, and each is told once, if still open.
	for _, c := range open {
		c.tellStop()
	}
}

// tellStop runs OnStop on an open connection of a stopping loop.
func (c *Conn) tellStop() {
	if c.state != stateOpen || c.wr&writeCloseAsked != 0 || c.hidden() {
		return // a connection whose handshake runs is told once it opens
	}
	c.act(c.l.eng.onStop.OnStop(c))
	c.l.touch(c)
	c.l.settle()
}

// admitsNew reports whether a connection may still open on the loop: not
// once it stops, unless the handler finishes its work first (StopHandler)
// and the stop's context has not ended.
func (l *Loop) admitsNew() bool {
	return !l.stopping || (l.eng.onStop != nil && !l.forced)
}
