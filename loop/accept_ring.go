package loop

import (
	"github.com/sockloop/sockloop/internal/completion"
)

// ringAccept lets listeners accept with multishot accept operations where
// the loop has a completion path; the accept fault-injection tests turn it
// off, since their hook sits in the accept(2) path.
var ringAccept = true

// armAccept arms a multishot accept on the listener.
func (l *Loop) armAccept(ls *listenSocket) {
	if err := l.ops.Accept(ls.fd, uint64(ls.fd)); err != nil {
		l.eng.cfg.logger.Error("loop: cannot accept on listener", "addr", ls.addr, "err", err)
		return
	}
	ls.ring, ls.armed = true, true
}

// onAccept serves a multishot accept's completion: a new connection, or the
// accept's end, after which it is armed again (a full CQ ends it too),
// after a back-off where descriptors or memory ran out.
func (l *Loop) onAccept(cp *completion.Completion) {
	fd := int(cp.Token)
	ls := l.listeners[fd]
	if ls == nil {
		l.onCancelledAccept(fd, cp)
		return
	}
	if !cp.More {
		ls.armed = false
	}
	switch err := cp.Err(); err {
	case nil:
		l.admit(ls, int(cp.Res), nil)
	case errIntr, errConnAborted, errAgain, errCanceled:
	default:
		// EMFILE and the like, and anything unexpected: never spin on it.
		l.pauseAccept(ls, err)
		return
	}
	if !ls.armed && l.listeners[fd] == ls {
		l.armAccept(ls)
	}
}

// closeListener closes a listener: at once without an accept in the kernel,
// else once the cancelled accept's last completion arrives, since the kernel
// holds the socket open until then and may accept on it meanwhile.
func (l *Loop) closeListener(fd int, ls *listenSocket) {
	delete(l.listeners, fd)
	if !ls.armed {
		l.poll.Delete(fd)
		closeFD(fd)
		return
	}
	ls.armed = false
	if l.closing == nil {
		l.closing = make(map[int]*listenSocket)
	}
	l.closing[fd] = ls
	l.ops.Cancel(completion.OpAccept, uint64(fd))
}

// onCancelledAccept serves a completion of a closed listener's accept. A
// connection accepted before the cancel took effect is served like any
// other (a loop that stops refuses it), rather than reset: at a handover
// the new process would have accepted it from the shared queue.
func (l *Loop) onCancelledAccept(fd int, cp *completion.Completion) {
	ls := l.closing[fd]
	if cp.Err() == nil {
		if ls != nil {
			l.admit(ls, int(cp.Res), nil)
		} else {
			closeFD(int(cp.Res))
		}
	}
	if cp.More || ls == nil {
		return
	}
	l.takeQueued(ls)
	delete(l.closing, fd)
	closeFD(fd)
	if len(l.closing) == 0 {
		l.listenersClosed()
	}
}

// takeQueued accepts, as onCancelledAccept does, what waits in a closing
// listener's queue once its ring accept has ended. The kernel wakes one
// accept per connection, and a wake-up that went to the cancelled accept
// would leave its connection queued with no other waiter told of it: at a
// handover, the new process's accept sleeps on while the client waits.
func (l *Loop) takeQueued(ls *listenSocket) {
	if !l.admitsNew() {
		return // a stop: what waits is for whoever else holds the socket
	}
	for range acceptBatch {
		if !queuedConn(ls.fd) {
			return
		}
		fd, sa, err := acceptHook(ls.fd)
		switch err {
		case nil:
			l.admit(ls, fd, sa)
		case errIntr, errConnAborted:
		default:
			return
		}
	}
}

// whenListenersClosed calls f once every listener the loop closed is
// closed in the kernel too, or when the loop ends.
func (l *Loop) whenListenersClosed(f func()) {
	l.unlistened = append(l.unlistened, f)
	if len(l.closing) == 0 {
		l.listenersClosed()
	}
}

func (l *Loop) listenersClosed() {
	waiting := l.unlistened
	l.unlistened = nil
	for _, f := range waiting {
		f()
	}
}
