package loop

import (
	"net"
	"os"
)

// spliceLink moves one connection's input to another through a pipe, so
// relayed bytes never enter user space. The pipe's bytes are queued on dst
// as a span, in order with its other output.
type spliceLink struct {
	src, dst *Conn
	r, w     int   // the pipe
	queued   int64 // bytes in the pipe, not yet sent to dst
	srcDone  bool  // src closed: close the pipe once it is empty
	dstDone  bool
}

// Splice sends everything that arrives on c to dst from now on, moving it
// through a kernel pipe with splice(2) instead of reading it (Linux): the
// bytes never reach user space and OnTraffic no longer runs for c. Input c
// had buffered goes first. Reading c pauses while dst's queued output is
// above the high-water mark and resumes when it drains; end of input reaches
// OnReadEOF (or closes c) as usual. Both connections must be stream
// connections of the same loop, neither speaking TLS; call it there.
func (c *Conn) Splice(dst *Conn) error {
	switch {
	case c.state == stateClosed || dst.state == stateClosed:
		return &net.OpError{Op: "splice", Net: c.network(), Err: net.ErrClosed}
	case c.sec != nil || dst.sec != nil:
		return &net.OpError{Op: "splice", Net: c.network(), Err: errTLSUnsupported} // bytes to encrypt
	case !c.stream || !dst.stream || c == dst || c.l != dst.l || c.spliceLinkOut() != nil || dst.spliceLinkIn() != nil:
		return &net.OpError{Op: "splice", Net: c.network(), Err: os.ErrInvalid}
	}
	r, w, err := sysPipe()
	if err != nil {
		return &net.OpError{Op: "splice", Net: c.network(), Err: err}
	}
	link := &spliceLink{src: c, dst: dst, r: r, w: w}
	c.rare().spliceOut, dst.rare().spliceIn = link, link
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

// spliceRead moves what the socket has into the pipe and queues it on dst.
func (c *Conn) spliceRead() {
	l, link := c.l, c.spliceLinkOut()
	dst := link.dst
	for {
		room := pipeCapacity - link.queued
		if dst.state == stateClosed || dst.out.Len() > l.eng.cfg.highWater || room <= 0 {
			c.rd |= readSpliceFull // dst's drain resumes us
			c.drv.sync(c)
			return
		}
		n, err := sysSplice(c.fd, link.w, int(room))
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
		dst.markQueued()
		dst.out.Pipe(link.r, n)
		dst.noteHigh()
		l.touch(dst)
		l.settle()
		if !l.eng.cfg.edge || !c.wantsInput() {
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
	if link := c.spliceLinkIn(); link != nil {
		link.queued -= n
		link.closeIfDone()
	}
	return true, true
}

// resume lets the source read again once dst has room.
func (link *spliceLink) resume() {
	if src := link.src; src.rd&readSpliceFull != 0 && src.alive() {
		src.rd &^= readSpliceFull
		src.l.touch(src)
	}
}

// spliceLinkOut is the link c's input goes out by, nil when not spliced.
func (c *Conn) spliceLinkOut() *spliceLink {
	if c.x == nil {
		return nil
	}
	return c.x.spliceOut
}

// spliceLinkIn is the link bringing another connection's input, or nil.
func (c *Conn) spliceLinkIn() *spliceLink {
	if c.x == nil {
		return nil
	}
	return c.x.spliceIn
}

// unsplice detaches a closing connection from its links.
func (c *Conn) unsplice() {
	if link := c.spliceLinkOut(); link != nil {
		link.srcDone = true
		link.closeIfDone()
	}
	if link := c.spliceLinkIn(); link != nil {
		link.dstDone = true
		link.closeIfDone()
	}
}

// closeIfDone closes the pipe once nothing more will pass through it.
func (link *spliceLink) closeIfDone() {
	if link.r < 0 || !(link.dstDone || (link.srcDone && link.queued == 0)) {
		return
	}
	closeFD(link.r)
	closeFD(link.w)
	link.r, link.w = -1, -1
}
