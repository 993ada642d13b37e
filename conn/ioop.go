//go:build unix

package conn

import (
	"io"

	"golang.org/x/sys/unix"
)

// ioOp is the reusable state of the common stream calls in one direction
// (RecvInto, Send, SendAll and so Read and Write): its poller callback is
// bound once per socket, so those calls allocate nothing. The gate
// serializes the calls of one direction, as the poller's own lock would.
type ioOp struct {
	g     gate
	s     *Socket
	cb    func(uintptr) bool // run, bound once
	write bool

	// Per call; buf is cleared before the call returns.
	once  bool // one attempt only (timeout 0, MSG_DONTWAIT)
	all   bool // keep going until buf is done (SendAll, MSG_WAITALL)
	flags int
	buf   []byte
	n     int
	err   error
}

func (o *ioOp) init(s *Socket, write bool) {
	o.s, o.write = s, write
	o.cb = o.run
}

// What a direct attempt did.
const (
	directNo   = iota // nothing: take the poller path from the start
	directDone        // the whole call: the count and error are final
	directMore        // part of a SendAll: the gate is held, finish with poll
)

// direct tries a call on the descriptor at once, in direct mode m (see
// direct_unix.go): the same attempts run makes, EINTR retried. When it
// reports directMore, o holds the call with the count so far, and the
// caller arms its deadline and calls poll.
func (o *ioOp) direct(m int32, all bool, flags int, buf []byte) (n int, serr error, did int) {
	if m == directOff || !o.g.enter(o.s) {
		return 0, nil, directNo
	}
	o.once, o.all, o.flags, o.buf, o.n, o.err = true, all, flags, buf, 0, nil
	o.run(uintptr(o.s.fd))
	n, serr = o.n, o.err
	if serr == errAgain && m == directWait {
		if n > 0 {
			o.g.busy.Store(false) // the poller path keeps the descriptor open
			o.once, o.err = false, nil
			return n, nil, directMore
		}
		o.buf = nil
		o.g.leave()
		return 0, nil, directNo
	}
	o.buf = nil
	o.g.leave()
	return n, serr, directDone
}

// do runs one call on buf on the poller path under the socket's mode and
// returns the count done and the poller's and the system call's errors.
func (o *ioOp) do(once, all bool, flags int, buf []byte) (n int, perr, serr error) {
	o.g.mu.Lock()
	o.once, o.all, o.flags, o.buf, o.n, o.err = once, all, flags, buf, 0, nil
	return o.poll()
}

// poll runs the call o holds through the poller and releases the gate.
func (o *ioOp) poll() (n int, perr, serr error) {
	if o.write {
		perr = o.s.rc.Write(o.cb)
	} else {
		perr = o.s.rc.Read(o.cb)
	}
	n, serr = o.n, o.err
	o.buf = nil
	o.g.mu.Unlock()
	return n, perr, serr
}

// abandon releases a call that directMore left, after count n.
func (o *ioOp) abandon() {
	o.buf = nil
	o.g.mu.Unlock()
}

// run is the poller callback: it reports true when the call is over and
// false to wait for readiness. EINTR is retried here.
func (o *ioOp) run(fd uintptr) bool {
	for {
		var n int
		var err error
		switch {
		case o.write:
			n, err = o.s.sendmsgN(int(fd), o.buf[o.n:], nil, nil, o.flags)
		case o.flags == 0:
			n, err = unix.Read(int(fd), o.buf[o.n:])
		default:
			n, err = recvNoAddr(int(fd), o.buf[o.n:], o.flags)
		}
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN && !o.once:
			return false
		case err != nil:
			o.err = err
			return true
		}
		o.n += n
		if !o.all || o.n >= len(o.buf) {
			return true
		}
		if n == 0 {
			if o.write {
				o.err = io.ErrShortWrite // a kernel taking nothing: do not spin
			}
			return true // a read of 0 is the end of the stream
		}
	}
}
