//go:build unix

package loop

import (
	"cmp"
	"net"
	"os"
	"slices"
)

// ListenerFiles returns a duplicate of each of the engine's listening
// sockets, for a new process to serve (ListenFD) while this one finishes:
// in the order the listeners were added, with every socket of a listener
// that has one per loop (SO_REUSEPORT), since a socket closed with
// connections in its queue resets them. The caller owns the files: it
// hands them to the new process (exec.Cmd's ExtraFiles) and closes its
// own once the new process holds them. From then on Stop still closes only
// this engine's descriptors, and no longer removes the file of a Unix
// listener, which the new process serves. It fails with ErrEngineStopped
// once the engine stops, with an error matching net.ErrClosed after
// StopAccepting, and must not be called from a loop's goroutine, which it
// would wait for.
func (e *Engine) ListenerFiles() ([]*os.File, error) {
	held, err := e.dupListeners()
	if err != nil {
		return nil, err
	}
	slices.SortFunc(held, func(a, b heldSocket) int {
		return cmp.Or(cmp.Compare(a.listener, b.listener), cmp.Compare(a.socket, b.socket))
	})
	files := make([]*os.File, len(held))
	for i, h := range held {
		addr := e.listeners[h.listener].addr
		files[i] = os.NewFile(uintptr(h.dup), addr.Network()+":"+addr.String())
	}
	return files, nil
}

// heldSocket is a duplicate of one socket of the engine's listeners: the
// index of the listener in Engine.listeners and of the socket in its fds,
// and the loop that served it (nil before Start).
type heldSocket struct {
	listener, socket int
	dup              int
	owner            *Loop
}

// dupListeners duplicates every socket of the engine's listeners: at once
// before Start, else on the loop that owns each socket, the only goroutine
// that closes it. Then it keeps the files of Unix listeners at Stop. If a
// socket cannot be duplicated, or has closed, it closes what it made.
func (e *Engine) dupListeners() ([]heldSocket, error) {
	e.mu.Lock()
	if e.state.Load() == engineNew {
		defer e.mu.Unlock()
		held, err := dupSockets(e.listeners, nil, func(*listener, int) bool { return true })
		if err == nil {
			for _, ln := range e.listeners {
				ln.unlinked = ln.unlinked || ln.ep.family == afUnix
			}
		}
		return held, err
	}
	e.mu.Unlock()
	if e.state.Load() != engineRunning {
		return nil, ErrEngineStopped
	}
	perLoop := make(chan []heldSocket, len(e.loops))
	errs := make(chan error, len(e.loops))
	err := e.onEveryLoop(func(l *Loop) {
		held, err := dupSockets(e.listeners, l, l.ownsSocket)
		perLoop <- held
		errs <- err
	})
	close(perLoop)
	close(errs)
	var all []heldSocket
	for held := range perLoop {
		all = append(all, held...)
	}
	for lerr := range errs {
		err = cmp.Or(err, lerr)
	}
	if err == nil && len(all) != e.countSockets() {
		err = e.closedError() // a loop had closed a socket
	}
	if err == nil {
		err = e.keepUnixFiles(all)
	}
	if err != nil {
		closeHeld(all)
		return nil, err
	}
	return all, nil
}

// keepUnixFiles stops the engine from removing the files of its Unix
// listeners at Stop, on the loop that served each, which the stop's
// removal follows.
func (e *Engine) keepUnixFiles(held []heldSocket) error {
	for _, h := range held {
		ln := e.listeners[h.listener]
		if ln.ep.family != afUnix {
			continue
		}
		done := make(chan struct{})
		if err := h.owner.Submit(func() { ln.unlinked = true; close(done) }); err != nil {
			return err
		}
		<-done
	}
	return nil
}

// closedError is why a listener's socket was closed: the engine's stop,
// or StopAccepting.
func (e *Engine) closedError() error {
	if e.state.Load() != engineRunning {
		return ErrEngineStopped
	}
	return &net.OpError{Op: "dup", Err: net.ErrClosed}
}

// countSockets counts the sockets of the engine's listeners.
func (e *Engine) countSockets() int {
	n := 0
	for _, ln := range e.listeners {
		n += len(ln.fds)
	}
	return n
}

// dupSockets duplicates the sockets of listeners that own selects, as
// served by l.
func dupSockets(listeners []*listener, l *Loop, owns func(*listener, int) bool) ([]heldSocket, error) {
	var held []heldSocket
	for i, ln := range listeners {
		for j, fd := range ln.fds {
			if !owns(ln, fd) {
				continue
			}
			dup, err := dupFD(uintptr(fd))
			if err != nil {
				closeHeld(held)
				return nil, &net.OpError{Op: "dup", Net: ln.addr.Network(), Addr: ln.addr, Err: err}
			}
			held = append(held, heldSocket{listener: i, socket: j, dup: dup, owner: l})
		}
	}
	return held, nil
}

// closeHeld closes duplicates that will not be handed out.
func closeHeld(held []heldSocket) {
	for _, h := range held {
		closeFD(h.dup)
	}
}

// ownsSocket reports whether fd, a socket of ln, is open on l: a stream
// socket l accepts on, or a datagram socket l serves as a connection.
func (l *Loop) ownsSocket(ln *listener, fd int) bool {
	if ls, ok := l.listeners[fd]; ok {
		return ls.listener == ln
	}
	c := l.conns.get(fd)
	return c != nil && !c.stream && c.ep == ln.ep
}
