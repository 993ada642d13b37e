package loop

import (
	"net"
	"os"

	"github.com/sockloop/sockloop/internal/buffer"
	"github.com/sockloop/sockloop/poller"
)

type connState uint8

const (
	stateConnecting connState = iota // a dial waits for connect(2) to finish
	stateOpen
	stateClosing // Close asked for; output drains, nothing is read
	stateClosed
)

// Conn is a connection served by a loop. For datagram sockets one Conn stands
// for the socket, and each OnTraffic call sees one datagram and its sender.
//
// An idle connection costs its Conn and little else, so the fields are
// ordered for size and what few connections use lives in rare.
type Conn struct {
	l        *Loop
	fd       int
	network  string
	remote   sockaddr
	value    any
	dg       *dgramState    // datagram sockets only: the batch being served
	x        *connRare      // allocated on first use
	in       []byte         // unconsumed input: in the loop's read buffer or in stash
	stash    buffer.Inbound // input kept between callbacks
	out      buffer.Queue
	to       *timeouts // the engine's, until a Set*Timeout gives the connection its own
	deadline *Timer

	lastRead, lastWrite int64
	heldN               int // completion path: bytes at the end of in that arrived while paused, not yet offered
	interest            poller.Event
	gen                 uint32 // completion path: tells this connection's completions from a predecessor's
	inflight            int32  // completion path: operations whose last completion has not arrived
	state               connState

	stream    bool
	dirty     bool // in l.dirty
	paused    bool // reading stopped by backpressure
	overHigh  bool // output passed the high-water mark; OnDrain is owed
	readEOF   bool // the peer finished sending
	shutWrite bool // CloseWrite asked for
	wroteShut bool // shutdown(SHUT_WR) done
	closeReq  bool
	dialed    bool // made by Dial: its dialer hears of it even if it never opens
	userPause bool // PauseRead
	final     bool // the last OnTraffic before an orderly close runs
	parked    bool // out of the poller after a hang-up while not reading
	splicing  bool // reading stopped while the spliced peer is full

	// The completion path (conn_ring.go).
	ringConnect bool // dialed with a connect operation
	ringRecv    bool // input arrives from a multishot receive
	ringSend    bool // output leaves as send operations
	recvArmed   bool // a multishot receive is in the kernel
	recvCancel  bool // its cancellation was asked for
	throttled   bool // reading paused once: receives are limited (recvLimit)
	wantRecv    bool // the connection wants input
	starving    bool // the receive ended for want of buffers; in l.starved
	eofHeld     bool // the end of input arrived behind held input
	redeliver   bool // in l.redeliver
	sending     bool // a send is in flight
	syncWait    bool // a file, pipe or control data waits for writability
}

// connRare is the part of a connection that few connections use, or use
// only once: addresses asked for, descriptors that arrived, splice links,
// and what a close needs.
type connRare struct {
	local        sockaddr
	laddr, raddr net.Addr
	fds          []int  // descriptors received with the current input
	oob          []byte // control data of the current datagram (WithAncillary)

	spliceOut *spliceLink // Splice: this connection's input goes to another
	spliceIn  *spliceLink // Splice: another connection's input comes here

	closeErr error  // the reason Close was asked with
	dropErr  error  // given to the output dropped when the operations end
	linger   *Timer // bounds the flush of a closing connection
}

// closeError is the reason Close was asked with, nil for none.
func (c *Conn) closeError() error {
	if c.x == nil {
		return nil
	}
	return c.x.closeErr
}

// rare returns the connection's rare part, allocating it on first use.
func (c *Conn) rare() *connRare {
	if c.x == nil {
		c.x = new(connRare)
	}
	return c.x
}

func newConn(l *Loop, fd int, network string, stream bool, remote sockaddr) *Conn {
	c := &Conn{l: l, fd: fd, network: network, stream: stream, remote: remote, to: &l.eng.cfg.timeouts}
	c.out.UseCache(&l.segs)
	return c
}

// Loop returns the loop that serves the connection; safe from any goroutine.
func (c *Conn) Loop() *Loop { return c.l }

// Fd returns the socket's descriptor; safe from any goroutine. It is closed
// when the connection closes.
func (c *Conn) Fd() int { return c.fd }

// Context returns the value stored with SetContext (or given to Dial / Adopt).
func (c *Conn) Context() any { return c.value }

// SetContext stores a value with the connection for the handler's own use.
func (c *Conn) SetContext(v any) { c.value = v }

// LocalAddr returns the socket's local address.
func (c *Conn) LocalAddr() net.Addr {
	x := c.rare()
	if x.laddr == nil {
		if x.local == nil {
			x.local, _ = getsockname(c.fd)
		}
		x.laddr = netAddr(c.network, x.local)
	}
	return x.laddr
}

// RemoteAddr returns the peer's address; for a datagram socket inside
// OnTraffic, the sender of the current datagram.
func (c *Conn) RemoteAddr() net.Addr {
	x := c.rare()
	if x.raddr == nil && c.remote == nil && !c.stream {
		c.remote = c.peerSockaddr()
	}
	if x.raddr == nil && c.remote != nil {
		x.raddr = netAddr(c.network, c.remote)
	}
	return x.raddr
}

// Close closes the connection once its queued output has been flushed;
// OnClose then receives nil. Output that has not drained after
// WithCloseLinger is dropped and the connection reset, so that the peer sees
// an error rather than a clean end, and OnClose receives an
// *OutputDroppedError wrapping ErrCloseLinger. It returns net.ErrClosed if
// the connection is closed already.
func (c *Conn) Close() error { return c.CloseWithError(nil) }

// CloseWithError is Close with err as the reason given to OnClose.
func (c *Conn) CloseWithError(err error) error {
	if c.state == stateClosed {
		return net.ErrClosed
	}
	if !c.closeReq {
		c.closeReq = true
		if err != nil || c.x != nil {
			c.rare().closeErr = err
		}
	}
	c.l.touch(c)
	return nil
}

// CloseWrite shuts down the sending side once the queued output has been
// flushed (a half-close); the connection goes on reading.
func (c *Conn) CloseWrite() error {
	if c.state == stateClosed {
		return net.ErrClosed
	}
	if !c.stream {
		return &net.OpError{Op: "shutdown", Net: c.network, Err: os.ErrInvalid}
	}
	c.shutWrite = true
	c.l.touch(c)
	return nil
}

// AsyncClose is Close with a reason, safe from any goroutine.
func (c *Conn) AsyncClose(err error) error {
	return c.l.Submit(func() { c.CloseWithError(err) })
}

// PauseRead stops reading from the connection until ResumeRead; input that
// arrives meanwhile waits in the kernel, whose buffers then push back on the
// peer. A relay pauses one side while the other cannot take more.
func (c *Conn) PauseRead() {
	c.userPause = true
	c.l.touch(c)
}

// ResumeRead undoes PauseRead.
func (c *Conn) ResumeRead() {
	c.userPause = false
	c.l.touch(c)
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

// wantInterest derives the poller interest from the connection's state.
func (c *Conn) wantInterest() poller.Event {
	if c.state == stateConnecting {
		return poller.Writable
	}
	var ev poller.Event
	if c.state == stateOpen && !c.paused && !c.userPause && !c.splicing && !c.readEOF {
		ev |= poller.Readable
	}
	if !c.out.Empty() {
		ev |= poller.Writable
	}
	return ev
}

func (c *Conn) updateInterest() {
	if c.ringRecv || c.ringSend {
		c.updateRing()
		return
	}
	if c.parked {
		// Parked after a hang-up, with nothing left to write: only a wish
		// to read brings the socket back.
		if want := c.wantInterest(); want&poller.Readable != 0 {
			if err := c.l.poll.Add(c.fd, want); err != nil {
				c.closeNow(err)
				return
			}
			c.parked, c.interest = false, want
		}
		return
	}
	if want := c.wantInterest(); want != c.interest {
		if err := c.l.poll.Modify(c.fd, want); err != nil {
			c.closeNow(err)
			return
		}
		c.interest = want
	}
}

// handle serves one readiness report.
func (c *Conn) handle(ev poller.Event) {
	switch {
	case c.state == stateConnecting:
		c.finishConnect()
		return
	case !c.stream:
		c.readDatagrams()
		return
	case (c.ringRecv || c.ringSend) && c.interest == 0:
		return // reported before updateRing took the socket out of the poller
	}
	if c.interest&poller.Readable != 0 && ev&(poller.Readable|poller.Hangup|poller.Error) != 0 {
		if c.x != nil && c.x.spliceOut != nil {
			c.spliceRead()
		} else {
			c.read()
		}
	}
	if c.state != stateClosed && ev&poller.Writable != 0 {
		c.flush()
		c.afterFlush()
	}
	// Not reading, nothing will learn of a hang-up from a read: ask the
	// socket. (A receive operation learns of it on the completion path.)
	if c.state != stateClosed && !c.ringRecv && c.interest&poller.Readable == 0 && ev&(poller.Hangup|poller.Error) != 0 {
		err := socketError(c.fd)
		if err == nil && !c.readEOF {
			// Both directions ended in order (our FIN sent, the peer's
			// received) while reading is paused: input may still wait in the
			// kernel. Park the socket, since the poller would report the
			// hang-up on every turn, until reading resumes and finds it.
			c.park()
			return
		}
		c.closeNow(err)
	}
}

// park takes the socket out of the poller until updateInterest wants to read.
func (c *Conn) park() {
	if c.ringRecv || c.ringSend {
		// Out of the poller is interest 0 to updateRing, which adds the
		// socket again once it wants to read or write.
		if c.interest != 0 {
			if err := c.l.poll.Delete(c.fd); err != nil {
				c.closeNow(err)
				return
			}
		}
		c.interest = 0
		return
	}
	if err := c.l.poll.Delete(c.fd); err != nil {
		c.closeNow(err)
		return
	}
	c.parked = true
}

// settle runs after a callback touched the connection.
func (c *Conn) settle() {
	if c.state == stateClosed {
		return
	}
	if c.state != stateConnecting {
		c.flush()
		if c.state == stateClosed {
			return
		}
	}
	c.out.Detach()
	if c.closeReq && c.state != stateClosing {
		c.closeGracefully(c.closeError())
		return
	}
	c.afterFlush()
}

// closeGracefully closes now if nothing is queued, else stops reading and
// closes once the output drains or the linger period passes.
func (c *Conn) closeGracefully(err error) {
	if c.state == stateClosed || c.state == stateClosing {
		return
	}
	if c.out.Empty() || c.state == stateConnecting {
		c.closeNow(err)
		return
	}
	c.state = stateClosing
	if err != nil || c.x != nil {
		c.rare().closeErr = err
	}
	c.out.Detach()
	c.updateInterest()
	c.rare().linger = c.l.AfterFunc(c.l.eng.cfg.closeLinger, func() { c.closeNow(ErrCloseLinger) })
}

// closeNow closes the socket at once, drops queued output and calls OnClose.
// An orderly close (err nil) with input still buffered first gives the
// handler one last OnTraffic for it, unless the handler asked for the close
// itself: a relay that held input back while its other side was full must
// not lose it.
func (c *Conn) closeNow(err error) {
	if c.state == stateClosed {
		return
	}
	if err == nil && c.stream && len(c.in) > 0 && !c.final && !c.closeReq {
		c.final = true
		c.act(c.l.eng.h.OnTraffic(c))
		if c.state == stateClosed {
			return
		}
	}
	if n := c.out.Len(); n > 0 && c.stream {
		if err == nil {
			err = ErrNotConnected
		}
		err = &OutputDroppedError{Bytes: n, Err: err}
		setAbortOnClose(c.fd) // at worst a socket already reset, whose peer knows
		if c.l.stopping {
			c.l.eng.dropped.Add(1)
		}
	}
	c.state = stateClosed
	l := c.l
	if c.interest != 0 || !c.ringRecv {
		l.poll.Delete(c.fd)
	}
	l.conns.remove(c.fd)
	if c.deadline != nil {
		c.deadline.Stop()
	}
	if c.x != nil && c.x.linger != nil {
		c.x.linger.Stop()
	}
	dropped := err // what the dropped output's callbacks learn
	if dropped == nil {
		dropped = ErrNotConnected
	}
	if c.inflight > 0 {
		// The kernel may still read the output and fill buffers for the
		// socket: cancel, and finish the close when the last completion
		// arrives (bury).
		l.ops.CancelFd(c.fd)
		c.rare().dropErr = dropped
		l.zombies[c.token()] = c
	} else {
		closeFD(c.fd)
		c.out.Reset(dropped)
	}
	c.unsplice()
	c.closeUntakenFDs()
	c.stash.Release()
	c.in = nil
	if !c.stream {
		return
	}
	l.nconns.Add(-1)
	if l.eng.h.OnClose(c, err) == Shutdown {
		l.eng.stopInBackground()
	}
}
