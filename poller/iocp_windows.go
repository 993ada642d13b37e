package poller

// The Windows backend: readiness emulated on an I/O completion port, the way
// libuv reads, and a Completer (iocp_complete_windows.go) that carries out
// accepts, receives, sends and connects on the same port. The package
// documentation's "Completion-model backends" describes the shape; this file
// is the readiness half, which package loop uses for datagram sockets and for
// what its completion path leaves to the poller. How each condition is
// produced:
//
//   - Readable on a connected stream socket (and a bound datagram socket): the
//     backend keeps one zero-byte overlapped WSARecv outstanding (MSG_PEEK on
//     datagram sockets, so that the datagram stays queued). Its completion means
//     data, a FIN or an error is waiting and is reported as Readable (with
//     Hangup for a reset or abort). No buffer is pinned. The receive is posted
//     again at the start of the next Wait while Readable interest remains: if
//     the caller did not drain the socket it completes at once, so readiness is
//     level-triggered. Options.EdgeTriggered is accepted and behaves the same;
//     an edge-triggered caller reads until WSAEWOULDBLOCK anyway, so the only
//     cost is an occasional empty read.
//   - Readable on a listening socket: a zero-byte receive does not apply, and
//     AcceptEx would consume the connection that the caller's accept() expects
//     to find. The backend asks WSAPoll (documented, timeout 0) about its
//     listeners at each turn of Wait, and while any are registered a blocking
//     Wait sleeps on the port in slices of at most pollSlice, so a connection
//     arriving during a long Wait is seen within one slice (plus the system
//     timer's granularity). The loop accepts with the Completer's AcceptEx
//     instead; the undocumented
//     IOCTL_AFD_POLL that wepoll and mio use is avoided on purpose. A socket
//     is recognised as a listener (SO_ACCEPTCONN) when added, or, if listen()
//     comes later, after its receive could not be posted.
//   - Writable: the loop sends with non-blocking send(), so no overlapped send
//     of this backend is ever pending, and "writable" is the documented answer
//     of WSAPoll for POLLWRNORM: connected with room in the send buffer. The
//     same poll reports a failed connect as Error|Hangup. Sockets with Writable
//     interest are polled like listeners; a socket whose receive cannot be
//     posted yet (connect still in progress, datagram socket not yet bound) is
//     polled for POLLRDNORM until it can.
//   - Hangup and Error come from the receive's completion status and from
//     POLLHUP / POLLERR.
//
// Every OVERLAPPED lives in a heap-allocated op that stays referenced from the
// poller's ops map from the moment its operation is posted until its
// completion is dequeued (Go's heap does not move objects, and the map keeps
// the GC from freeing one the kernel still writes to). Delete and Close cancel
// outstanding receives with CancelIoEx and wait for their completions; an op
// whose completion does not arrive in time is parked in a package-level list
// for the life of the process rather than released.
//
// A socket stays associated with the port after Delete (Windows has no
// documented way to dissociate one), so a socket can be added to only one
// poller in its life, and adding it again to the same poller works. Sockets
// made through package net belong to the Go runtime's port and are refused:
// the loop makes its own with WSASocket(WSA_FLAG_OVERLAPPED).

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/windows"

	"github.com/sockloop/sockloop/internal/completion"
)

const (
	keyWake   = 1 // completion key of the packets Wake posts
	keySocket = 2 // completion key every socket is associated with

	// pollSlice bounds how long a Wait sleeps on the port between two polls of
	// its listeners and write-interested sockets.
	pollSlice = 5 * time.Millisecond
	// cancelWait bounds how long Delete and Close wait for a cancelled
	// receive's completion.
	cancelWait = 5 * time.Second
)

// op is one overlapped operation. The address of ov is what the system holds
// and hands back in the completion; p.ops maps it back to the op and keeps the
// op reachable while it is pending.
type op struct {
	ov      windows.Overlapped
	s       *sock
	buf     windows.WSABuf // zero length: the receive only signals readiness
	flags   uint32
	pending bool
}

// sock is the state of one registered socket.
type sock struct {
	fd       int
	h        windows.Handle
	interest Event
	listener bool // SO_ACCEPTCONN: readable means accept will not block
	dgram    bool // SOCK_DGRAM: the zero-byte receive peeks
	pollRead bool // the receive cannot be posted yet; poll for POLLRDNORM
	queued   bool // in p.rearm
	deleted  bool
	rd       *op
}

type iocp struct {
	port    windows.Handle
	socks   map[int]*sock
	ops     map[uintptr]*op // pending operations by OVERLAPPED address
	polled  map[int]*sock   // sockets asked about with WSAPoll each turn
	rearm   []*sock         // sockets whose receive is posted at the next Wait
	spare   []*sock         // the other rearm buffer, swapped in by arm
	entries []overlappedEntry
	pollfds []wsaPollFd

	out    []Ready     // reports not yet handed to a Wait, in order
	outIdx map[int]int // fd -> index in out

	// assoc holds the sockets associated with the port (by Add or by the
	// Completer), so that adding one again after Delete is told apart from a
	// socket of another port. A handle value stays until a new socket that
	// reuses it is associated.
	assoc map[windows.Handle]bool

	// The Completer's state (iocp_complete_windows.go).
	cops   map[uintptr]*cop        // operations in flight by OVERLAPPED address
	multi  map[uint64]*cop         // armed accepts and receives by multiKey
	fdRecv map[int]*cop            // the armed receive of each descriptor
	fdAcc  map[int]*cop            // the armed accept of each listener
	pend   []completion.Completion // reaped, for the next Wait to hand over
	reaped []completion.Completion // handed over by the last Wait
	bufs   recvPool
	rbuf   windows.WSABuf // the WSABUF of the receive that follows a readiness
	free   []*cop         // send operations to reuse

	woken     atomic.Bool // a wake packet is queued and not yet dequeued
	wokeEarly bool        // a wake packet was dequeued outside Wait (Delete)
}

var (
	wsaOnce sync.Once
	wsaErr  error

	// orphans keeps alive, for the life of the process, operations whose
	// completion did not arrive before Delete or Close gave up waiting.
	orphansMu sync.Mutex
	orphans   []*op
)

func newPoller(opts Options) (Poller, error) {
	if opts.Backend != Default && opts.Backend != "iocp" {
		return nil, unsupported(opts.Backend, "this system has IOCP")
	}
	wsaOnce.Do(func() {
		var d windows.WSAData
		if err := windows.WSAStartup(uint32(0x202), &d); err != nil {
			wsaErr = os.NewSyscallError("wsastartup", err)
		}
	})
	if wsaErr != nil {
		return nil, wsaErr
	}
	port, err := windows.CreateIoCompletionPort(windows.InvalidHandle, 0, 0, 1)
	if err != nil {
		return nil, os.NewSyscallError("createiocompletionport", err)
	}
	return &iocp{
		port:    port,
		socks:   make(map[int]*sock),
		ops:     make(map[uintptr]*op),
		polled:  make(map[int]*sock),
		outIdx:  make(map[int]int),
		assoc:   make(map[windows.Handle]bool),
		entries: make([]overlappedEntry, 256),
		cops:    make(map[uintptr]*cop),
		multi:   make(map[uint64]*cop),
		fdRecv:  make(map[int]*cop),
		fdAcc:   make(map[int]*cop),
		bufs:    newRecvPool(0, 0),
	}, nil
}

func (p *iocp) Add(fd int, interest Event) error {
	if p.port == 0 {
		return ErrClosed
	}
	if _, ok := p.socks[fd]; ok {
		return fmt.Errorf("poller: add fd %d: %w", fd, os.ErrExist)
	}
	h := windows.Handle(fd)
	typ, err := windows.GetsockoptInt(h, windows.SOL_SOCKET, soType)
	if err != nil {
		return os.NewSyscallError("getsockopt", err)
	}
	if err := p.associate(h); err != nil {
		return fmt.Errorf("poller: add fd %d: %w", fd, err)
	}
	s := &sock{fd: fd, h: h, dgram: typ == windows.SOCK_DGRAM, listener: isListener(h)}
	s.rd = &op{s: s}
	if s.dgram {
		s.rd.flags = windows.MSG_PEEK
	}
	p.socks[fd] = s
	p.setInterest(s, interest)
	return nil
}

func (p *iocp) Modify(fd int, interest Event) error {
	if p.port == 0 {
		return ErrClosed
	}
	s, ok := p.socks[fd]
	if !ok {
		return fmt.Errorf("poller: modify fd %d: %w", fd, os.ErrNotExist)
	}
	p.setInterest(s, interest)
	return nil
}

// associate joins the socket h to the port, or finds it joined already.
func (p *iocp) associate(h windows.Handle) error {
	_, err := windows.CreateIoCompletionPort(h, p.port, keySocket, 0)
	if err != nil && (err != windows.ERROR_INVALID_PARAMETER || !p.assoc[h]) {
		// ERROR_INVALID_PARAMETER is also the answer for a socket that
		// belongs to another port, such as one made by package net, which
		// the Go runtime's own port owns: its completions would go there.
		return fmt.Errorf("associating with the completion port (a socket made by package net belongs to the runtime's port): %w",
			os.NewSyscallError("createiocompletionport", err))
	}
	p.assoc[h] = true
	return nil
}

// setInterest records interest and decides how each condition is watched.
// A receive already pending while Readable interest goes away stays posted;
// its completion is dropped unless the interest has come back by then.
func (p *iocp) setInterest(s *sock, interest Event) {
	s.interest = interest
	if interest&Readable != 0 && !s.listener {
		p.queueArm(s)
	} else {
		s.pollRead = false
	}
	p.updatePolled(s)
}

func (p *iocp) updatePolled(s *sock) {
	if s.pollEvents() != 0 && !s.deleted {
		p.polled[s.fd] = s
	} else {
		delete(p.polled, s.fd)
	}
}

// isListener reports whether h is a listening socket (SO_ACCEPTCONN).
func isListener(h windows.Handle) bool {
	acc, err := windows.GetsockoptInt(h, windows.SOL_SOCKET, soAcceptConn)
	return err == nil && acc != 0
}

// pollEvents is what WSAPoll is asked about s.
func (s *sock) pollEvents() int16 {
	var ev int16
	if s.interest&Readable != 0 && (s.listener || s.pollRead) {
		ev |= pollRdNorm
	}
	if s.interest&Writable != 0 {
		ev |= pollWrNorm
	}
	return ev
}

func (p *iocp) queueArm(s *sock) {
	if !s.queued && !s.rd.pending {
		s.queued = true
		p.rearm = append(p.rearm, s)
	}
}

func (p *iocp) Delete(fd int) error {
	if p.port == 0 {
		return ErrClosed
	}
	s, ok := p.socks[fd]
	if !ok {
		return fmt.Errorf("poller: delete fd %d: %w", fd, os.ErrNotExist)
	}
	delete(p.socks, fd)
	delete(p.polled, fd)
	s.deleted = true
	s.interest = 0
	p.dropReport(fd)
	if !s.rd.pending {
		return nil
	}
	return p.cancelAndWait([]*op{s.rd})
}

func (p *iocp) Wait(ready []Ready, timeout time.Duration) (int, error) {
	if p.port == 0 {
		return 0, ErrClosed
	}
	if len(ready) == 0 {
		return 0, nil
	}
	clear(p.reaped)
	p.reaped = p.reaped[:0]
	p.arm()
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	woke := p.wokeEarly
	p.wokeEarly = false
	for {
		if err := p.poll(); err != nil {
			return 0, err
		}
		wait := timeout
		if timeout > 0 {
			wait = max(time.Until(deadline), 0)
		}
		if len(p.out) > 0 || len(p.pend) > 0 || woke {
			wait = 0
		}
		sliced := len(p.polled) > 0 && (wait < 0 || wait > pollSlice)
		if sliced {
			wait = pollSlice
		}
		w, err := p.dequeue(wait)
		if err != nil {
			return 0, err
		}
		woke = woke || w
		if len(p.out) > 0 || len(p.pend) > 0 || woke || !sliced {
			break
		}
		if timeout == 0 || (timeout > 0 && !time.Now().Before(deadline)) {
			break
		}
	}
	n := copy(ready, p.out)
	for _, r := range p.out[:n] {
		delete(p.outIdx, r.Fd)
	}
	rest := copy(p.out, p.out[n:])
	p.out = p.out[:rest]
	for i, r := range p.out {
		p.outIdx[r.Fd] = i
	}
	p.reaped, p.pend = p.pend, p.reaped
	return n, nil
}

func (p *iocp) Wake() error {
	if p.woken.Swap(true) {
		return nil
	}
	if err := windows.PostQueuedCompletionStatus(p.port, 0, keyWake, nil); err != nil {
		p.woken.Store(false)
		if errors.Is(err, windows.ERROR_INVALID_HANDLE) {
			return ErrClosed
		}
		return os.NewSyscallError("postqueuedcompletionstatus", err)
	}
	return nil
}

func (p *iocp) Close() error {
	if p.port == 0 {
		return ErrClosed
	}
	var pending []*op
	for _, s := range p.socks {
		s.deleted = true
		if s.rd.pending {
			pending = append(pending, s.rd)
		}
	}
	var err error
	if len(pending) > 0 {
		err = p.cancelAndWait(pending)
	}
	if cerr := p.closeCompleter(); cerr != nil && err == nil {
		err = cerr
	}
	p.socks, p.polled, p.rearm, p.out = nil, nil, nil, nil
	if cerr := windows.CloseHandle(p.port); cerr != nil && err == nil {
		err = os.NewSyscallError("closehandle", cerr)
	}
	p.port = 0
	return err
}
