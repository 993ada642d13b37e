package conn

import (
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/windows"
)

// Socket is a socket object: one overlapped Winsock handle on the
// package's completion port, its family, type and protocol, and its
// timeout mode. All methods are safe for concurrent use; calls in one
// direction (reads, or writes) run one at a time, and Close wakes them all.
type Socket struct {
	h       windows.Handle
	family  Family
	typ     Type
	proto   Proto
	closed  atomic.Bool
	closing chan struct{} // closed by Close: waiting calls cancel and return
	rd, wr  direction

	refMu   sync.Mutex
	refs    int           // calls using h now
	drained chan struct{} // closed when refs drops to 0 after Close

	mu      sync.Mutex // guards timeout and the deadlines in rd and wr
	timeout time.Duration
}

// direction is the state of one direction's calls: one at a time, one
// overlapped operation, and its deadlines (guarded by Socket.mu).
type direction struct {
	lock    sync.Mutex
	op      *ioOp
	call    time.Time     // this call's timeout, zero if none
	user    time.Time     // the net.Conn deadline, zero if none
	changed chan struct{} // closed and replaced when call or user changes
}

// Open wraps WSASocket: it creates an overlapped, non-inheritable socket
// of the family, type and protocol, with the default timeout.
func Open(family Family, typ Type, proto Proto) (*Socket, error) {
	h, err := sysSocket(int(family), int(typ), int(proto), nil)
	if err != nil {
		return nil, &OpError{Op: "socket", Family: family, Err: os.NewSyscallError("socket", err)}
	}
	return newSocket(h, family, typ, proto)
}

// newSocket associates a non-blocking overlapped handle with the
// completion port; on failure it closes the handle.
func newSocket(h windows.Handle, family Family, typ Type, proto Proto) (*Socket, error) {
	return adopt(h, false, family, typ, proto)
}

// adopt is newSocket for a handle that may be on the port already (ours).
func adopt(h windows.Handle, ours bool, family Family, typ Type, proto Proto) (*Socket, error) {
	if err := associate(h, ours); err != nil {
		windows.Closesocket(h)
		return nil, &OpError{Op: "socket", Family: family, Err: os.NewSyscallError("CreateIoCompletionPort", err)}
	}
	s := &Socket{h: h, family: family, typ: typ, proto: proto, closing: make(chan struct{})}
	s.rd = direction{op: newIOOp(), changed: make(chan struct{})}
	s.wr = direction{op: newIOOp(), changed: make(chan struct{})}
	s.timeout = DefaultTimeout()
	liveSockets.Add(1)
	return s, nil
}

// liveSockets counts Sockets whose handle is not closed yet (for tests).
var liveSockets atomic.Int64

// enter takes a reference on the handle for one call, or fails once the
// socket is closed.
func (s *Socket) enter(op string) error {
	s.refMu.Lock()
	defer s.refMu.Unlock()
	if s.closed.Load() {
		return &OpError{Op: op, Family: s.family, Err: errClosed}
	}
	s.refs++
	return nil
}

func (s *Socket) leave() {
	s.refMu.Lock()
	s.refs--
	if s.refs == 0 && s.drained != nil {
		close(s.drained)
		s.drained = nil
	}
	s.refMu.Unlock()
}

// shut marks the socket closed, wakes waiting calls and waits until none
// uses the handle any more. It reports false if it was closed already.
func (s *Socket) shut() bool {
	s.refMu.Lock()
	if !s.closed.CompareAndSwap(false, true) {
		s.refMu.Unlock()
		return false
	}
	var drained chan struct{}
	if s.refs > 0 {
		drained = make(chan struct{})
		s.drained = drained
	}
	s.refMu.Unlock()
	close(s.closing)
	if drained != nil {
		<-drained
	}
	return true
}

// Close wraps closesocket; calls waiting in other goroutines return errors
// matching net.ErrClosed. Closing twice does nothing.
func (s *Socket) Close() error {
	if !s.shut() {
		return nil
	}
	liveSockets.Add(-1)
	if err := windows.Closesocket(s.h); err != nil {
		return &OpError{Op: "close", Family: s.family, Err: os.NewSyscallError("closesocket", err)}
	}
	return nil
}

// Detach puts the Socket into the closed state and hands its handle to the
// caller, who then owns it, as Python's detach does. The handle stays
// associated with this package's completion port (Windows cannot undo
// that), so the new owner cannot put it on another port, but FromFD takes
// it back; FIONBIO on it is clear only if the timeout was NoTimeout.
func (s *Socket) Detach() (int, error) {
	if err := s.enter("detach"); err != nil {
		return -1, err
	}
	err := setNonblock(s.h, s.Timeout() != NoTimeout)
	s.leave()
	if err != nil {
		return -1, &OpError{Op: "detach", Family: s.family, Err: os.NewSyscallError("ioctlsocket", err)}
	}
	if !s.shut() {
		return -1, &OpError{Op: "detach", Family: s.family, Err: errClosed}
	}
	liveSockets.Add(-1)
	onPort.Store(s.h, struct{}{})
	return int(s.h), nil
}

// Fileno returns the handle as an int, or -1 once the socket is closed.
// The handle stays owned by the Socket.
func (s *Socket) Fileno() int {
	if s.closed.Load() {
		return -1
	}
	return int(s.h)
}

// Family returns the socket's address family.
func (s *Socket) Family() Family { return s.family }

// Type returns the socket's kind.
func (s *Socket) Type() Type { return s.typ }

// Proto returns the socket's protocol.
func (s *Socket) Proto() Proto { return s.proto }

// Inheritable reports whether child processes inherit the handle
// (HANDLE_FLAG_INHERIT).
func (s *Socket) Inheritable() (bool, error) {
	if err := s.enter("get_inheritable"); err != nil {
		return false, err
	}
	defer s.leave()
	flags, err := getHandleInformation(s.h)
	if err != nil {
		return false, &OpError{Op: "get_inheritable", Family: s.family, Err: os.NewSyscallError("GetHandleInformation", err)}
	}
	return flags&windows.HANDLE_FLAG_INHERIT != 0, nil
}

// SetInheritable sets or clears HANDLE_FLAG_INHERIT.
func (s *Socket) SetInheritable(inheritable bool) error {
	if err := s.enter("set_inheritable"); err != nil {
		return err
	}
	defer s.leave()
	var v uint32
	if inheritable {
		v = windows.HANDLE_FLAG_INHERIT
	}
	if err := windows.SetHandleInformation(s.h, windows.HANDLE_FLAG_INHERIT, v); err != nil {
		return &OpError{Op: "set_inheritable", Family: s.family, Err: os.NewSyscallError("SetHandleInformation", err)}
	}
	return nil
}

// String describes the socket as Python's repr does, briefly.
func (s *Socket) String() string {
	return "conn.Socket(fd=" + strconv.Itoa(s.Fileno()) + ", family=" + s.family.String() +
		", type=" + s.typ.String() + ", proto=" + strconv.Itoa(int(s.proto)) + ")"
}
