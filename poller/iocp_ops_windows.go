package poller

import (
	"fmt"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Completions, cancellation and the WSAPoll half of the Windows backend;
// iocp_windows.go has the design.

// cancelAndWait cancels ops and dequeues completions until theirs have
// arrived; other completions dequeued meanwhile are handled as Wait would.
func (p *iocp) cancelAndWait(ops []*op) error {
	for _, o := range ops {
		// Errors are ignored: ERROR_NOT_FOUND means it completed already and
		// its packet is queued; an invalid handle means the socket was closed
		// before Delete, which cancelled the operation and queued its packet.
		windows.CancelIoEx(o.s.h, &o.ov)
	}
	deadline := time.Now().Add(cancelWait)
	for {
		left := 0
		for _, o := range ops {
			if o.pending {
				left++
			}
		}
		if left == 0 {
			return nil
		}
		wait := time.Until(deadline)
		if wait <= 0 {
			orphansMu.Lock()
			for _, o := range ops {
				if o.pending {
					orphans = append(orphans, o)
				}
			}
			orphansMu.Unlock()
			return fmt.Errorf("poller: %d cancelled receive(s) not completed after %v", left, cancelWait)
		}
		woke, err := p.dequeue(wait)
		if err != nil {
			return err
		}
		if woke {
			p.wokeEarly = true // the next Wait returns at once
		}
	}
}

// dequeue waits up to timeout for completions and handles them. It reports
// whether a wake packet was among them.
func (p *iocp) dequeue(timeout time.Duration) (bool, error) {
	ms := uint32(windows.INFINITE)
	if timeout >= 0 {
		ms = uint32(waitMillis(timeout))
	}
	var n uint32
	err := getQueuedCompletionStatusEx(p.port, &p.entries[0], uint32(len(p.entries)), &n, ms, false)
	if err != nil {
		if err == windows.WAIT_TIMEOUT {
			return false, nil
		}
		return false, os.NewSyscallError("getqueuedcompletionstatusex", err)
	}
	woke := false
	for i := range p.entries[:n] {
		e := &p.entries[i]
		if e.key == keyWake {
			p.woken.Store(false)
			woke = true
			continue
		}
		o, ok := p.ops[e.ov]
		if !ok {
			if c, ok := p.cops[e.ov]; ok {
				delete(p.cops, e.ov)
				c.pending = false
				p.finish(c)
			}
			continue
		}
		delete(p.ops, e.ov)
		o.pending = false
		p.completed(o)
	}
	return woke, nil
}

// completed turns a dequeued receive into a report.
func (p *iocp) completed(o *op) {
	s := o.s
	if s.deleted || s.interest&Readable == 0 {
		return
	}
	var n, flags uint32
	err := windows.WSAGetOverlappedResult(s.h, &o.ov, &n, false, &flags)
	switch err {
	case nil, windows.WSAEMSGSIZE: // data (or a FIN) is waiting; a peeked datagram is larger than 0 bytes
		p.report(s.fd, Readable)
	case windows.ERROR_OPERATION_ABORTED: // WSA_OPERATION_ABORTED is the same code
		// Cancelled, not by Delete (which marked s deleted): post it again.
	default:
		p.report(s.fd, Readable|errorEvents(err))
	}
	p.queueArm(s)
}

// errorEvents maps a failed receive to Hangup or Error.
func errorEvents(err error) Event {
	switch err {
	case windows.WSAECONNRESET, windows.WSAECONNABORTED, windows.WSAENETRESET, windows.WSAESHUTDOWN, windows.WSAEDISCON:
		return Hangup
	}
	return Error
}

func (p *iocp) report(fd int, ev Event) {
	if i, ok := p.outIdx[fd]; ok {
		p.out[i].Events |= ev
		return
	}
	p.outIdx[fd] = len(p.out)
	p.out = append(p.out, Ready{Fd: fd, Events: ev})
}

func (p *iocp) dropReport(fd int) {
	i, ok := p.outIdx[fd]
	if !ok {
		return
	}
	p.out = append(p.out[:i], p.out[i+1:]...)
	delete(p.outIdx, fd)
	for j := i; j < len(p.out); j++ {
		p.outIdx[p.out[j].Fd] = j
	}
}

// arm posts the zero-byte receives queued since the last Wait.
func (p *iocp) arm() {
	list := p.rearm
	p.rearm = p.spare[:0]
	defer func() { p.spare = list[:0] }()
	for _, s := range list {
		s.queued = false
		if s.deleted || s.interest&Readable == 0 || s.listener || s.rd.pending {
			continue
		}
		if s.pollRead && isListener(s.h) {
			// listen() was called after Add. (Wine, unlike Windows, accepts a
			// receive on a listener and leaves it pending, so ask first.)
			s.listener, s.pollRead = true, false
			p.updatePolled(s)
			continue
		}
		o := s.rd
		o.ov = windows.Overlapped{}
		flags := o.flags
		key := uintptr(unsafe.Pointer(&o.ov))
		p.ops[key] = o
		o.pending = true
		err := windows.WSARecv(s.h, &o.buf, 1, nil, &flags, &o.ov, nil)
		if err == nil || err == windows.ERROR_IO_PENDING {
			// Pending, or done already with its packet queued (completion
			// skipping is never enabled on these handles).
			if s.pollRead {
				s.pollRead = false
				p.updatePolled(s)
			}
			continue
		}
		delete(p.ops, key)
		o.pending = false
		switch err {
		case windows.WSAENOTCONN, windows.WSAEINVAL:
			if isListener(s.h) { // listen() was called after Add
				s.listener = true
				p.updatePolled(s)
				continue
			}
			// Not connected yet or not bound: poll, and try again next turn.
			if !s.pollRead {
				s.pollRead = true
				p.updatePolled(s)
			}
			s.queued = true
			p.rearm = append(p.rearm, s)
		case windows.WSAEMSGSIZE:
			p.report(s.fd, Readable)
			s.queued = true
			p.rearm = append(p.rearm, s)
		default:
			p.report(s.fd, Readable|errorEvents(err))
			s.queued = true
			p.rearm = append(p.rearm, s)
		}
	}
}

// poll asks WSAPoll, without blocking, about listeners, write-interested
// sockets and sockets whose receive cannot be posted yet.
func (p *iocp) poll() error {
	if len(p.polled) == 0 {
		return nil
	}
	p.pollfds = p.pollfds[:0]
	for _, s := range p.polled {
		p.pollfds = append(p.pollfds, wsaPollFd{fd: uintptr(s.h), events: s.pollEvents()})
	}
	n, err := wsaPoll(&p.pollfds[0], uint32(len(p.pollfds)), 0)
	if err != nil {
		return os.NewSyscallError("wsapoll", err)
	}
	if n == 0 {
		return nil
	}
	for _, pf := range p.pollfds {
		if pf.revents == 0 {
			continue
		}
		var ev Event
		if pf.revents&pollRdNorm != 0 {
			ev |= Readable
		}
		if pf.revents&pollWrNorm != 0 {
			ev |= Writable
		}
		if pf.revents&pollHup != 0 {
			ev |= Hangup
		}
		if pf.revents&(pollErr|pollNval) != 0 {
			ev |= Error
		}
		p.report(int(pf.fd), ev)
	}
	return nil
}
