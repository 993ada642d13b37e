//go:build unix

package conn

import (
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Socket is a socket object: one descriptor in Go's runtime poller, its
// family, type and protocol, and its timeout mode. All methods are safe
// for concurrent use; calls in one direction (reads, or writes) run one
// at a time, and Close wakes them all.
type Socket struct {
	fd     int
	f      *os.File
	rc     syscall.RawConn
	family Family
	typ    Type
	proto  Proto
	closed atomic.Bool
	hooks  *hooks // fault injection in tests; nil in use
	rop    ioOp   // RecvInto's reusable call state
	wop    ioOp   // Send and SendAll's reusable call state
	rmsg   msgOp  // RecvMsgInto's reusable call state and iovec scratch
	wmsg   msgOp  // SendMsg's reusable call state and iovec scratch

	rdirect, wdirect atomic.Int32 // direct modes (direct_unix.go), set under mu

	mu       sync.Mutex    // guards what follows
	timeout  time.Duration // NoTimeout, 0, or > 0
	rdl, wdl time.Time     // net.Conn deadlines; zero means none
	// The file's read or write deadline is a timeout-mode call's, left for
	// the next call in another mode to put the net.Conn deadline back.
	rcall, wcall bool
}

// Open wraps socket(2): it creates a socket of the family, type and
// protocol, close-on-exec, with the default timeout (timeout 0 if typ
// carries SOCK_NONBLOCK).
func Open(family Family, typ Type, proto Proto) (*Socket, error) {
	fd, err := sysSocket(int(family), int(typ), int(proto))
	if err != nil {
		return nil, &OpError{Op: "socket", Family: family, Err: os.NewSyscallError("socket", err)}
	}
	return newSocket(fd, family, typ, proto)
}

// Socketpair wraps socketpair(2): two connected sockets. Family 0 means
// AF_UNIX and type 0 means SOCK_STREAM.
func Socketpair(family Family, typ Type, proto Proto) (*Socket, *Socket, error) {
	if family == 0 {
		family = AF_UNIX
	}
	if typ == 0 {
		typ = SOCK_STREAM
	}
	fds, err := sysSocketpair(int(family), int(typ), int(proto))
	if err != nil {
		return nil, nil, &OpError{Op: "socketpair", Family: family, Err: os.NewSyscallError("socketpair", err)}
	}
	a, err := newSocket(fds[0], family, typ, proto)
	if err != nil {
		unix.Close(fds[1])
		return nil, nil, err
	}
	b, err := newSocket(fds[1], family, typ, proto)
	if err != nil {
		a.Close()
		return nil, nil, err
	}
	return a, b, nil
}

// FromFD makes a Socket that owns fd, without duplicating it. Family, type
// and protocol are read from the descriptor where they are 0. The descriptor
// is switched to non-blocking mode and keeps its close-on-exec flag.
func FromFD(fd int, family Family, typ Type, proto Proto) (*Socket, error) {
	if fd < 0 {
		return nil, valueErr("fromfd", "negative file descriptor")
	}
	if family == 0 || typ == 0 || proto == 0 {
		f, t, p, err := sysDetect(fd)
		if err != nil {
			return nil, &OpError{Op: "fromfd", Err: err}
		}
		if family == 0 {
			family = f
		}
		if typ == 0 {
			typ = t
		}
		if proto == 0 {
			proto = p
		}
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		return nil, &OpError{Op: "fromfd", Family: family, Err: os.NewSyscallError("fcntl", err)}
	}
	return newSocket(fd, family, typ, proto)
}

// DupFD duplicates fd (close-on-exec) and makes a Socket of the copy, as
// Python's socket.fromfd does; the caller keeps fd.
func DupFD(fd int, family Family, typ Type, proto Proto) (*Socket, error) {
	nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, &OpError{Op: "fromfd", Family: family, Err: os.NewSyscallError("fcntl", err)}
	}
	s, err := FromFD(nfd, family, typ, proto)
	if err != nil {
		unix.Close(nfd)
	}
	return s, err
}

// newSocket registers a non-blocking descriptor with the runtime poller.
func newSocket(fd int, family Family, typ Type, proto Proto) (*Socket, error) {
	f := os.NewFile(uintptr(fd), "socket:"+strconv.Itoa(fd))
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, &OpError{Op: "socket", Family: family, Err: err}
	}
	s := &Socket{fd: fd, f: f, rc: rc, family: family, typ: typ &^ typeFlags, proto: proto}
	s.rop.init(s, false)
	s.wop.init(s, true)
	s.rmsg.init(s, false)
	s.wmsg.init(s, true)
	s.timeout = DefaultTimeout()
	if typ&typeFlags&nonblockFlag != 0 {
		s.timeout = 0
	}
	s.setDirect()
	return s, nil
}

// Close closes the descriptor; calls waiting on it in other goroutines
// return errors matching net.ErrClosed. Closing twice does nothing.
func (s *Socket) Close() error {
	if !s.closed.CompareAndSwap(false, true) {
		return nil
	}
	// A direct attempt uses the descriptor outside the poller: let it end
	// before the descriptor can be closed and its number reused.
	s.rop.g.drain()
	s.wop.g.drain()
	s.rmsg.g.drain()
	s.wmsg.g.drain()
	if err := s.f.Close(); err != nil {
		return &OpError{Op: "close", Family: s.family, Err: err}
	}
	return nil
}

// Detach puts the Socket into the closed state and hands its descriptor to
// the caller, who then owns it. Go's poller cannot release a descriptor
// without closing it, so Detach returns a close-on-exec duplicate made just
// before: its number may differ from Fileno. O_NONBLOCK on it is clear only
// if the timeout was NoTimeout.
func (s *Socket) Detach() (int, error) {
	var nfd int
	var serr error
	perr := s.rc.Control(func(fd uintptr) {
		nfd, serr = unix.FcntlInt(fd, unix.F_DUPFD_CLOEXEC, 0)
	})
	if err := s.wrapErr("detach", "fcntl", perr, serr, nil); err != nil {
		return -1, err
	}
	if err := unix.SetNonblock(nfd, s.Timeout() != NoTimeout); err != nil {
		unix.Close(nfd)
		return -1, &OpError{Op: "detach", Family: s.family, Err: os.NewSyscallError("fcntl", err)}
	}
	s.Close()
	return nfd, nil
}

// Dup duplicates the socket (close-on-exec); the copy has the same family,
// type, protocol and timeout.
func (s *Socket) Dup() (*Socket, error) {
	var nfd int
	var serr error
	perr := s.rc.Control(func(fd uintptr) {
		nfd, serr = unix.FcntlInt(fd, unix.F_DUPFD_CLOEXEC, 0)
	})
	if err := s.wrapErr("dup", "fcntl", perr, serr, nil); err != nil {
		return nil, err
	}
	d, err := newSocket(nfd, s.family, s.typ, s.proto)
	if err != nil {
		return nil, err
	}
	d.timeout = s.Timeout()
	d.setDirect()
	return d, nil
}

// Fileno returns the descriptor, or -1 once the socket is closed. The
// descriptor stays owned by the Socket and is non-blocking whatever the mode.
func (s *Socket) Fileno() int {
	if s.closed.Load() {
		return -1
	}
	return s.fd
}

// Family returns the socket's address family.
func (s *Socket) Family() Family { return s.family }

// Type returns the socket's kind, without SOCK_NONBLOCK or SOCK_CLOEXEC.
func (s *Socket) Type() Type { return s.typ }

// Proto returns the socket's protocol.
func (s *Socket) Proto() Proto { return s.proto }

// Inheritable reports whether the descriptor survives exec (FD_CLOEXEC clear).
func (s *Socket) Inheritable() (bool, error) {
	var flags int
	var serr error
	perr := s.rc.Control(func(fd uintptr) { flags, serr = unix.FcntlInt(fd, unix.F_GETFD, 0) })
	if err := s.wrapErr("get_inheritable", "fcntl", perr, serr, nil); err != nil {
		return false, err
	}
	return flags&unix.FD_CLOEXEC == 0, nil
}

// SetInheritable sets or clears FD_CLOEXEC so the descriptor does or does
// not survive exec.
func (s *Socket) SetInheritable(inheritable bool) error {
	var serr error
	perr := s.rc.Control(func(fd uintptr) {
		flags, err := unix.FcntlInt(fd, unix.F_GETFD, 0)
		if err != nil {
			serr = err
			return
		}
		if inheritable {
			flags &^= unix.FD_CLOEXEC
		} else {
			flags |= unix.FD_CLOEXEC
		}
		_, serr = unix.FcntlInt(fd, unix.F_SETFD, flags)
	})
	return s.wrapErr("set_inheritable", "fcntl", perr, serr, nil)
}

// String describes the socket as Python's repr does, briefly.
func (s *Socket) String() string {
	return "conn.Socket(fd=" + strconv.Itoa(s.Fileno()) + ", family=" + s.family.String() +
		", type=" + s.typ.String() + ", proto=" + strconv.Itoa(int(s.proto)) + ")"
}
