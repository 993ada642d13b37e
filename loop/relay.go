package loop

import (
	"errors"
	"net"
	"os"
)

// A relay link carries one connection's input to another connection of the
// same loop with no handler in between (Relay, Splice), by one of two paths:
//
//   - copying: the input is read into the loop's buffer as usual and queued
//     on dst as a handler's Write would queue it, by reference until the
//     send; one read and one write per chunk, two copies of every byte.
//   - piping (Linux): splice(2) moves the input from the socket into a
//     kernel pipe and from the pipe to dst, so the bytes never enter user
//     space; the pipe's bytes wait on dst as a span, in order with its other
//     output. A pipe that fills grows to bulkPipeCapacity, so that bulk
//     moves in a few large calls.
//
// Per call, a splice costs more than a read of a few bytes; per byte, it
// costs far less. A relay (Relay) therefore starts by copying, takes the pipe
// once switchAfter reads in a row brought at least bulkRead bytes, and goes
// back once as many splices in a row moved less. Splice pipes whatever comes.
//
// Backpressure: src stops reading while dst's queued output, not counting
// the pipe's bytes, is above the high-water mark, or while the pipe is full
// (the pipe's capacity bounds what it holds); it resumes once dst's output
// is at the low mark and the pipe at most half full.
type relayLink struct {
	src, dst *Conn
	r, w     int   // the pipe, -1 until the link first pipes
	capacity int64 // what the pipe holds
	queued   int64 // bytes in the pipe, not yet sent to dst
	piping   bool  // the input goes through the pipe now
	auto     bool  // the link picks its path (Relay); false: it keeps it
	streak   int8  // reads or splices in a row that point to the other path
	srcDone  bool  // src closed: close the pipe once it is empty
	dstDone  bool
}

// errSmallPipe: the kernel gave a pipe smaller than its default, which it
// does to a user over /proc/sys/fs/pipe-user-pages-soft.
var errSmallPipe = errors.New("pipe smaller than the default: over the user's pipe page limit")

const (
	// bulkRead is the least a read or splice brings for a relay to count
	// it as bulk: a whole provided buffer on io_uring, a quarter of the
	// loop's read buffer on epoll.
	bulkRead = 16 << 10
	// switchAfter is how many reads or splices in a row must point to the
	// other path before a relay takes it, so that one large message among
	// small ones moves nothing.
	switchAfter = 4
)

// Relay sends everything that arrives on c to dst from now on, without
// OnTraffic: the loop copies small reads through its buffers and, on Linux,
// moves bulk through a kernel pipe with splice(2), choosing between the two
// as the traffic goes. Input c had buffered goes first. Reading c pauses
// while dst's queued output is above the high-water mark and resumes when it
// drains; if dst closes, c stops reading (close it from OnClose, as a proxy
// does). End of input reaches OnReadEOF (or closes c) as usual. Both
// connections must be stream connections of the same loop; where either
// speaks TLS the relay copies plaintext (a TLS-terminating proxy). Call it
// there.
func (c *Conn) Relay(dst *Conn) error { return c.link("relay", dst, false) }

// Splice is Relay that always moves the bytes through the pipe, so they never
// reach user space, whatever their size (Linux; elsewhere it fails with
// errors.ErrUnsupported). Neither connection may speak TLS.
func (c *Conn) Splice(dst *Conn) error { return c.link("splice", dst, true) }

func (c *Conn) link(op string, dst *Conn, pipe bool) error {
	switch {
	case c.state == stateClosed || dst.state == stateClosed:
		return &net.OpError{Op: op, Net: c.network(), Err: net.ErrClosed}
	case pipe && (c.sec != nil || dst.sec != nil):
		return &net.OpError{Op: op, Net: c.network(), Err: errTLSUnsupported} // bytes to decrypt or encrypt
	case !c.stream || !dst.stream || c == dst || c.l != dst.l || c.linkOut() != nil || dst.linkIn() != nil:
		return &net.OpError{Op: op, Net: c.network(), Err: os.ErrInvalid}
	}
	// A TLS side needs its bytes in user space: such a relay copies.
	link := &relayLink{src: c, dst: dst, r: -1, w: -1, auto: !pipe && c.sec == nil && dst.sec == nil}
	if pipe {
		if err := link.openPipe(); err != nil {
			return &net.OpError{Op: op, Net: c.network(), Err: err}
		}
		link.piping = true
	}
	c.rare().relayOut, dst.rare().relayIn = link, link
	if len(c.in) > 0 {
		dst.Write(c.in) // held input too: it all goes first
		c.in = c.in[len(c.in):]
		c.ring.held = 0
		c.keepInput()
	}
	c.l.touch(c)
	c.l.touch(dst)
	return nil
}

// openPipe makes the link's pipe. A pipe smaller than the default means the
// user is over the kernel's pipe-user-pages-soft limit, where splicing through
// a page or two would cost more than it saves.
func (link *relayLink) openPipe() error {
	r, w, capacity, err := link.src.l.takePipe()
	if err != nil {
		return err
	}
	if capacity < pipeCapacity {
		closeFD(r)
		closeFD(w)
		return errSmallPipe
	}
	link.r, link.w, link.capacity = r, w, capacity
	return nil
}

// onTraffic hands the input to the connection's relay, or to OnTraffic.
func (c *Conn) onTraffic() {
	if link := c.linkOut(); link != nil {
		link.forward()
		return
	}
	c.act(c.l.eng.h.OnTraffic(c))
}

// forward queues the input just read (plaintext, for TLS) on dst, in place
// of OnTraffic.
func (link *relayLink) forward() {
	c, dst := link.src, link.dst
	if dst.writable() != nil {
		// dst takes no more: keep the input, stop reading (Relay's doc).
		c.rd |= readRelayFull
		return
	}
	n := len(c.in)
	dst.Write(c.in)
	c.in = c.in[n:]
	if link.full() {
		c.rd |= readRelayFull // dst's drain resumes us
	}
	link.observe(n)
}

// full reports whether src must wait before bringing more.
func (link *relayLink) full() bool {
	dst := link.dst
	return dst.writable() != nil || link.backlog() > dst.l.eng.cfg.highWater ||
		(link.piping && link.queued >= link.capacity)
}

// backlog is what dst has yet to send of what the relay gave it, pipe aside:
// its queued output, and for TLS the plaintext that waits for the handshake
// (or behind a file) to be encrypted.
func (link *relayLink) backlog() int {
	n := link.dst.queuedBytes()
	if s := link.dst.sec; s != nil {
		for _, p := range s.pending {
			n += len(p.b) + int(p.left)
		}
	}
	return n
}

// observe counts a read or splice of n bytes toward a change of path.
func (link *relayLink) observe(n int) {
	if !link.auto {
		return
	}
	if (n >= bulkRead) == link.piping {
		link.streak = 0
		return
	}
	if link.streak++; link.streak < switchAfter {
		return
	}
	c := link.src
	if !link.piping && (c.ring.held > 0 || len(c.in) > 0) {
		return // held input goes first, by copying
	}
	link.streak = 0
	if !link.piping && link.r < 0 {
		if err := link.openPipe(); err != nil {
			link.auto = false // no pipe to be had: copying it is
			return
		}
	}
	link.piping = !link.piping
	if relayPathHook != nil {
		relayPathHook(link.piping)
	}
	c.l.touch(c) // the drivers read by the new path from the settle on
}

// relayPathHook, when set (by tests), learns of every change of path.
var relayPathHook func(piping bool)

// readsByPipe reports whether c's input goes through a relay's pipe now.
func (c *Conn) readsByPipe() bool {
	link := c.linkOut()
	return link != nil && link.piping
}

// spliceRead moves what the socket has into the pipe and queues it on dst.
func (c *Conn) spliceRead() {
	l, link := c.l, c.linkOut()
	dst := link.dst
	for {
		if link.full() { // spliceRead runs while piping: full covers the pipe's room
			c.rd |= readRelayFull // dst's drain resumes us
			c.drv.sync(c)
			return
		}
		n, err := sysSplice(c.fd, link.w, int(link.capacity-link.queued))
		switch classify(err) {
		case stepAgain:
			continue
		case stepWait:
			return
		case stepFail:
			c.closeNow(os.NewSyscallError("splice", err))
			return
		}
		if n == 0 {
			c.endOfInput()
			return
		}
		c.lastRead = l.now
		l.count(cBytesIn, uint64(n))
		link.queued += n
		if link.queued == link.capacity && link.capacity < bulkPipeCapacity {
			link.capacity = growPipe(link.w, link.capacity)
		}
		dst.markQueued()
		dst.out.Pipe(link.r, n)
		l.touch(dst)
		link.observe(int(n))
		l.settle()
		if !link.piping || !l.eng.cfg.edge || !c.wantsInput() {
			return
		}
	}
}

// flushPipe sends the pipe's bytes queued at the head of c's output; it
// reports whether the caller may go on writing, and whether c is still open.
func (c *Conn) flushPipe(span *bufferSpan) (more, ok bool) {
	n, err := sysSplice(span.Fd, c.fd, int(span.Remaining))
	switch classify(err) {
	case stepAgain:
		return true, true
	case stepWait:
		return false, true
	case stepFail:
		return false, c.closeNow(os.NewSyscallError("splice", err))
	}
	if n == 0 {
		// The pipe cannot run dry before its span.
		return false, c.closeNow(os.NewSyscallError("splice", errPipe))
	}
	c.lastWrite = c.l.now
	c.l.count(cBytesOut, uint64(n))
	c.out.AdvanceFile(n)
	if link := c.linkIn(); link != nil {
		link.queued -= n
		link.closeIfDone()
	}
	return true, true
}

// queuedBytes is c's queued output that counts toward its marks: a relay's
// pipe bounds its own bytes.
func (c *Conn) queuedBytes() int {
	if link := c.linkIn(); link != nil {
		return c.out.Len() - int(link.queued)
	}
	return c.out.Len()
}

// drained lets the source read again once dst has room.
func (link *relayLink) drained() {
	src := link.src
	if src.rd&readRelayFull == 0 || !src.alive() || link.dst.writable() != nil {
		return
	}
	if link.backlog() <= src.l.eng.cfg.lowWater && link.queued <= link.capacity/2 {
		src.rd &^= readRelayFull
		src.l.touch(src)
	}
}

// linkOut is the link c's input goes out by, nil when not relayed.
func (c *Conn) linkOut() *relayLink {
	if c.x == nil {
		return nil
	}
	return c.x.relayOut
}

// linkIn is the link bringing another connection's input, or nil.
func (c *Conn) linkIn() *relayLink {
	if c.x == nil {
		return nil
	}
	return c.x.relayIn
}

// unlink detaches a closing connection from its links.
func (c *Conn) unlink() {
	if link := c.linkOut(); link != nil {
		link.srcDone = true
		link.closeIfDone()
	}
	if link := c.linkIn(); link != nil {
		link.dstDone = true
		link.closeIfDone()
	}
}

// closeIfDone lets the pipe go once nothing more will pass through it: to
// the loop's spares if it is empty, else closed.
func (link *relayLink) closeIfDone() {
	if link.r < 0 || !(link.dstDone || (link.srcDone && link.queued == 0)) {
		return
	}
	if link.queued == 0 {
		link.src.l.keepPipe(link.r, link.w, link.capacity)
	} else {
		closeFD(link.r)
		closeFD(link.w)
	}
	link.r, link.w = -1, -1
}

// spareRelayPipes is how many empty pipes a loop keeps for its next relays,
// so that short relayed connections do not each pay pipe2, fcntl and two
// closes per direction. Connections come and go in bursts (64 in flight
// returned most pipes to a full pool of 16 and took most from an empty
// one), so the pool is as large as a burst; a loop that runs short of
// descriptors to accept with closes its spares. Each is shrunk back to the
// default size: a 1 MiB pipe counts 256 pages against the user's
// pipe-user-pages-soft, a spare 16.
const spareRelayPipes = 128

// relayPipe is a pipe's two ends.
type relayPipe struct{ r, w int }

// takePipe returns a spare pipe, or a new one.
func (l *Loop) takePipe() (r, w int, capacity int64, err error) {
	if n := len(l.pipes); n > 0 {
		p := l.pipes[n-1]
		l.pipes = l.pipes[:n-1]
		return p.r, p.w, pipeCapacity, nil
	}
	return sysPipe()
}

// keepPipe takes back an empty pipe as a spare, or closes it.
func (l *Loop) keepPipe(r, w int, capacity int64) {
	if len(l.pipes) < spareRelayPipes && !l.ended && (capacity == pipeCapacity || shrinkPipe(w) == nil) {
		l.pipes = append(l.pipes, relayPipe{r, w})
		return
	}
	closeFD(r)
	closeFD(w)
}

// closeSparePipes closes the spares, at the loop's end or for want of
// descriptors.
func (l *Loop) closeSparePipes() {
	for _, p := range l.pipes {
		closeFD(p.r)
		closeFD(p.w)
	}
	l.pipes = nil
}
