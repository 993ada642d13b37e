package loop

import (
	"bytes"
	"time"

	"github.com/sockloop/sockloop/poller"
)

const (
	acceptBatch     = 128 // accepts per readiness when level-triggered
	acceptBackoff   = 5 * time.Millisecond
	acceptBackoffHi = time.Second
)

// acceptHook is accept(2) for the loop; tests replace it to inject faults.
var acceptHook = sysAccept

// closeFD closes a descriptor of the loop's; tests replace it to catch one
// closed twice, which could close another connection's reused descriptor.
var closeFD = sysClose

// accept takes pending connections from a listening socket and hands each to
// its loop: this one when every loop has its own listener (SO_REUSEPORT),
// else the one the balancing policy picks.
func (l *Loop) accept(ls *listenSocket) {
	for i := 0; l.eng.cfg.edge || i < acceptBatch; i++ {
		fd, sa, err := acceptHook(ls.fd)
		switch err {
		case nil:
		case errIntr, errConnAborted:
			continue
		case errAgain:
			return
		default:
			if outOfResources(err) {
				l.pauseAccept(ls, err)
				return
			}
			l.eng.cfg.logger.Error("loop: accept failed", "addr", ls.addr, "err", err)
			return
		}
		l.admit(ls, fd, sa)
	}
}

// admit hands an accepted connection to its loop; sa is nil where the accept
// did not return the peer's address (a completion backend's accept), which
// is then asked for at once: RemoteAddr must answer even in OnClose, after
// the descriptor is gone.
func (l *Loop) admit(ls *listenSocket, fd int, sa sockaddr) {
	ls.backoff, ls.warned = 0, false
	l.count(cAccepted, 1)
	if sa == nil {
		sa, _ = getpeername(fd)
	}
	target := l
	if len(ls.fds) == 1 && len(l.eng.loops) > 1 {
		target = l.eng.pick(addrHash(sa))
	}
	c := newConn(target, fd, ls.ep, true, sa)
	if target == l {
		l.openConn(c)
	} else if target.Submit(func() { target.openHandedConn(c, l) }) != nil {
		l.openConn(newConn(l, fd, ls.ep, true, sa)) // the target ended: serve it here
	}
}

// openHandedConn opens a connection that loop from accepted for this one.
// A loop that ends runs its last tasks at its end: it hands the connection
// back then, since at Stop the loop that accepted it may still serve its
// own connections, and a connection accepted must not be lost.
func (l *Loop) openHandedConn(c *Conn, from *Loop) {
	if !l.ended { // only this goroutine writes it
		l.openConn(c)
		return
	}
	back := newConn(from, c.fd, c.ep, true, c.remote)
	if from.Submit(func() { from.openConn(back) }) != nil {
		closeFD(c.fd)
	}
}

// pauseAccept stops watching a listener that ran out of descriptors or
// memory, so the loop neither exits nor spins, and watches it again after a
// back-off that doubles from 5 ms to 1 s while the condition lasts.
func (l *Loop) pauseAccept(ls *listenSocket, err error) {
	l.closeSparePipes() // descriptors the next accept may need more
	ls.backoff = min(max(ls.backoff*2, acceptBackoff), acceptBackoffHi)
	l.count(cAcceptBackoffs, 1)
	if !ls.warned {
		ls.warned = true
		l.eng.cfg.logger.Warn("loop: accept failed; pausing accepts", "addr", ls.addr, "err", err, "retry", ls.backoff)
	}
	if ls.ring {
		// The multishot accept ended with the error; arm it again later.
		l.AfterFunc(ls.backoff, func() {
			if l.listeners[ls.fd] == ls {
				l.armAccept(ls)
			}
		})
		return
	}
	if err := l.poll.Modify(ls.fd, 0); err != nil {
		l.eng.cfg.logger.Error("loop: cannot pause listener", "addr", ls.addr, "err", err)
	}
	l.AfterFunc(ls.backoff, func() {
		if l.listeners[ls.fd] == ls {
			l.poll.Modify(ls.fd, poller.Readable)
		}
	})
}

// openConn registers a connected socket and runs OnOpen.
func (l *Loop) openConn(c *Conn) {
	if !l.admitsNew() {
		c.abandon(ErrEngineStopped)
		return
	}
	prepareStream(c.fd, c.network(), l.eng.cfg.noDelay && !c.inheritedNoDelay())
	if !c.dialed {
		if err := l.prepareTCP(c); err != nil {
			c.abandon(err)
			return
		}
	}
	c.state = stateOpen
	l.assignDriver(c)
	if err := c.drv.start(c); err != nil {
		l.eng.cfg.logger.Error("loop: cannot serve connection", "err", err)
		c.abandon(err)
		return
	}
	l.conns.put(c.fd, c)
	l.nconns.Add(1)
	c.open()
}

// inheritedNoDelay reports whether c was accepted from a listener whose
// TCP_NODELAY it inherited.
func (c *Conn) inheritedNoDelay() bool {
	return !c.dialed && c.ep.listener != nil && c.ep.listener.noDelay
}

// prepareStream sets the options every stream connection gets. Failures
// are not fatal: TCP_NODELAY is a latency choice, and SO_NOSIGPIPE is set
// only where writes cannot say MSG_NOSIGNAL themselves.
func prepareStream(fd int, network string, noDelay bool) {
	if needNoSigpipe {
		setNoSigpipe(fd)
	}
	if noDelay && network != "unix" {
		setNoDelay(fd)
	}
}

// open starts the connection's timers and runs OnOpen, or first the TLS
// handshake of a connection that speaks TLS.
func (c *Conn) open() {
	l := c.l
	c.lastRead, c.lastWrite = l.now, l.now
	if c.dialed {
		l.count(cDialed, 1)
	}
	if c.sec != nil || c.ep.tls != nil && !c.dialed {
		c.startTLS()
		return
	}
	c.announce()
}

// announce runs OnOpen with the connection's timers started.
func (c *Conn) announce() {
	l := c.l
	c.armDeadline()
	out, action := l.eng.h.OnOpen(c)
	// out comes before everything, an end the handler asked for in OnOpen
	// included: only a connection already closed drops it.
	if len(out) > 0 && c.state == stateOpen {
		c.markQueued()
		if c.sec != nil {
			c.sec.pending = append([]tlsPending{{b: bytes.Clone(out)}}, c.sec.pending...)
		} else {
			c.out.CopyFront(out) // ahead of what was written while a dial connected
		}
		c.noteHigh()
	}
	if c.sec != nil && c.state == stateOpen && !c.sec.goLive(c) {
		return
	}
	c.act(action)
	l.touch(c)
	l.settle()
	if l.stopping && l.eng.onStop != nil {
		c.tellStop() // opened during a stop: told as those open when it began
	}
}

// abandon closes a connection that never reached the loop's table; a dialed
// one still gets its OnClose, since its dialer holds it and waits for news.
func (c *Conn) abandon(err error) {
	c.unwatchDial()
	closeFD(c.fd)
	c.state = stateClosed
	c.out.Reset(err)
	if c.dialed && c.reportClose(true, err) == Shutdown {
		c.l.eng.stopInBackground()
	}
}
