package poller

import (
	"fmt"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/sockloop/sockloop/internal/completion"
)

// The completions of the Completer's operations, its buffer pool and its
// part of Close; iocp_complete_windows.go has the design.

const abortedRes = -int32(windows.ERROR_OPERATION_ABORTED)

// finish turns a dequeued operation into completions, posting a multishot
// operation's next round.
func (p *iocp) finish(c *cop) {
	var n, flags uint32
	err := windows.WSAGetOverlappedResult(c.h, &c.ov, &n, false, &flags)
	switch c.op {
	case completion.OpAccept:
		p.finishAccept(c, err)
	case completion.OpRecv:
		p.finishRecv(c, err)
	case completion.OpSend:
		res := int32(n)
		if err != nil {
			res = errRes(err)
		}
		p.pend = append(p.pend, completion.Completion{Op: completion.OpSend, Token: c.token, Res: res})
		p.recycle(c)
	case completion.OpConnect:
		var res int32
		if err == nil {
			err = windows.Setsockopt(c.h, windows.SOL_SOCKET, windows.SO_UPDATE_CONNECT_CONTEXT, nil, 0)
		}
		if err != nil {
			res = errRes(err)
		}
		c.sa = nil
		p.pend = append(p.pend, completion.Completion{Op: completion.OpConnect, Token: c.token, Res: res})
	}
}

func (p *iocp) finishAccept(c *cop, err error) {
	as := c.as
	c.as = windows.InvalidHandle
	if err == nil && !c.cancelled {
		err = p.takeAccepted(as, c.h)
	}
	switch {
	case err == nil && !c.cancelled:
		p.pend = append(p.pend, completion.Completion{Op: completion.OpAccept, Token: c.token, Res: int32(as), More: true})
	case c.cancelled:
		windows.Closesocket(as)
		p.end(c, abortedRes)
		return
	case err == windows.WSAECONNRESET || err == windows.WSAECONNABORTED:
		// The client gave up before its accept completed.
		windows.Closesocket(as)
		p.pend = append(p.pend, completion.Completion{Op: completion.OpAccept, Token: c.token, Res: errRes(windows.WSAECONNABORTED), More: true})
	default:
		windows.Closesocket(as)
		p.end(c, errRes(err))
		return
	}
	if err := p.postAccept(c); err != nil {
		p.end(c, errRes(err))
	}
}

// takeAccepted readies a socket AcceptEx filled: it inherits the listener's
// properties (getpeername works then) and turns FIONBIO on. It is not joined
// to this port: the connection may be served by another loop, whose port
// its first receive joins it to.
func (p *iocp) takeAccepted(as, ls windows.Handle) error {
	err := windows.Setsockopt(as, windows.SOL_SOCKET, windows.SO_UPDATE_ACCEPT_CONTEXT, (*byte)(unsafe.Pointer(&ls)), int32(unsafe.Sizeof(ls)))
	if err == nil {
		err = ioctlNonblock(as)
	}
	return err
}

func (p *iocp) finishRecv(c *cop, err error) {
	switch {
	case err == windows.ERROR_OPERATION_ABORTED:
		p.end(c, abortedRes)
		return
	case err != nil:
		// A reset that beat the cancellation is reported even so: it may be
		// the only news of it (Wine leaves a pending send to such a socket
		// pending), and the connection is over either way.
		p.end(c, errRes(err))
		return
	case c.cancelled:
		p.end(c, abortedRes) // the input stays in the socket
		return
	}
	// Input, its end or an error waits: read once without waiting.
	id, buf, ok := p.bufs.take()
	if !ok {
		p.end(c, errRes(windows.WSAENOBUFS))
		return
	}
	p.rbuf = windows.WSABuf{Len: uint32(len(buf)), Buf: &buf[0]}
	var n, flags uint32
	err = windows.WSARecv(c.h, &p.rbuf, 1, &n, &flags, nil, nil)
	p.rbuf = windows.WSABuf{}
	switch {
	case err == windows.WSAEWOULDBLOCK:
		p.bufs.put(id) // nothing after all; wait again
	case err == windows.WSAESHUTDOWN:
		p.bufs.put(id)
		p.end(c, 0) // our side shut reading down: the end of input
		return
	case err != nil:
		p.bufs.put(id)
		p.end(c, errRes(err))
		return
	case n == 0:
		p.bufs.put(id)
		p.end(c, 0)
		return
	default:
		p.pend = append(p.pend, completion.Completion{Op: completion.OpRecv, Token: c.token, Res: int32(n), More: true, Buf: buf[:n], BufID: id})
	}
	if err := p.issue(c); err != nil {
		p.end(c, errRes(err))
	}
}

// end reports a multishot operation's last completion and forgets it.
func (p *iocp) end(c *cop, res int32) {
	key := multiKey(c.op, c.token)
	if p.multi[key] == c {
		delete(p.multi, key)
	}
	switch c.op {
	case completion.OpRecv:
		if p.fdRecv[c.fd] == c {
			delete(p.fdRecv, c.fd)
		}
	case completion.OpAccept:
		if p.fdAcc[c.fd] == c {
			delete(p.fdAcc, c.fd)
		}
	}
	p.pend = append(p.pend, completion.Completion{Op: c.op, Token: c.token, Res: res})
}

func (p *iocp) newSend() *cop {
	if n := len(p.free); n > 0 {
		c := p.free[n-1]
		p.free = p.free[:n-1]
		return c
	}
	return &cop{op: completion.OpSend}
}

// recycle keeps a finished send for the next one, without its slices.
func (p *iocp) recycle(c *cop) {
	clear(c.iov)
	c.iov = c.iov[:0]
	if len(p.free) < 1024 {
		p.free = append(p.free, c)
	}
}

// closeCompleter cancels what is in flight at Close and waits for it; an
// operation whose completion does not come in time is parked for good.
func (p *iocp) closeCompleter() error {
	if len(p.cops) == 0 {
		return nil
	}
	for _, c := range p.cops {
		c.cancelled = true
		windows.CancelIoEx(c.h, &c.ov)
	}
	deadline := time.Now().Add(cancelWait)
	for len(p.cops) > 0 {
		wait := time.Until(deadline)
		if wait <= 0 {
			orphansMu.Lock()
			for _, c := range p.cops {
				copOrphans = append(copOrphans, c)
			}
			orphansMu.Unlock()
			return fmt.Errorf("poller: %d cancelled operation(s) not completed after %v", len(p.cops), cancelWait)
		}
		if _, err := p.dequeue(wait); err != nil {
			return err
		}
	}
	p.pend = nil
	return nil
}

// copOrphans keeps alive, for the life of the process, Completer operations
// whose completion did not arrive before Close gave up waiting.
var copOrphans []*cop

// recvPool is the receive buffers: one slab, cut in equal buffers named by
// their index, allocated at the first take.
type recvPool struct {
	n, size int
	slab    []byte
	free    []uint16
}

func newRecvPool(n, size int) recvPool {
	if n <= 0 {
		n = completion.Buffers
	}
	if size <= 0 {
		size = completion.MaxBufferSize
	}
	return recvPool{n: min(n, 1<<16), size: size}
}

func (b *recvPool) take() (uint16, []byte, bool) {
	if b.slab == nil {
		b.slab = make([]byte, b.n*b.size)
		b.free = make([]uint16, b.n)
		for i := range b.free {
			b.free[i] = uint16(b.n - 1 - i)
		}
	}
	if len(b.free) == 0 {
		return 0, nil, false
	}
	id := b.free[len(b.free)-1]
	b.free = b.free[:len(b.free)-1]
	off := int(id) * b.size
	return id, b.slab[off : off+b.size : off+b.size], true
}

func (b *recvPool) put(id uint16) { b.free = append(b.free, id) }
