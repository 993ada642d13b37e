package loop

// Handing listeners to a new process, for a restart that drops no
// connection: the old process gives the new one duplicates of every
// listening socket (ListenerFiles), the new one serves them (ListenFD), and
// only then does the old one stop accepting (StopAccepting), wait for its
// connections to end, and stop. A socket lives while any process holds a
// descriptor of it, so the connections waiting in its queue are there for
// the new process to accept; closing the last descriptor of a socket with
// a queue would reset them, which is why the new process must take every
// socket of a listener, the one per loop that SO_REUSEPORT gives included.

// StopAccepting closes the engine's descriptors of its listening stream
// sockets and returns once the kernel has let go of them too; the
// connections already open are served on, those an accept in the kernel
// took before its cancel included, and a socket whose duplicates another
// process holds (ListenerFiles) goes on accepting there. Stop ends the
// rest later. It fails with ErrEngineStopped unless the engine runs, and
// must not be called from a loop's goroutine, which it would wait for.
func (e *Engine) StopAccepting() error {
	if e.state.Load() != engineRunning {
		return ErrEngineStopped
	}
	closed := make(chan struct{}, len(e.loops))
	err := e.onEveryLoop(func(l *Loop) {
		for fd, ls := range l.listeners {
			l.closeListener(fd, ls)
		}
		l.whenListenersClosed(func() { closed <- struct{}{} })
	})
	if err != nil {
		return err
	}
	for range e.loops {
		<-closed
	}
	return nil
}

// onEveryLoop runs f on each loop's goroutine and returns once all have,
// or ErrEngineStopped where a loop had ended.
func (e *Engine) onEveryLoop(f func(l *Loop)) error {
	done := make(chan bool, len(e.loops))
	for _, l := range e.loops {
		if err := l.Submit(func() { f(l); done <- true }); err != nil {
			done <- false
		}
	}
	var err error
	for range e.loops {
		if !<-done {
			err = ErrEngineStopped
		}
	}
	return err
}
