//go:build unix || windows

package conn

import (
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// ErrWouldBlock matches errors from calls in non-blocking mode (timeout 0)
// that could not complete at once; errors.Is(ErrWouldBlock, unix.EAGAIN)
// holds (windows.WSAEWOULDBLOCK on Windows).
var ErrWouldBlock error = wouldBlockError{}

// ErrTimeout matches errors from calls whose timeout or deadline passed;
// errors.Is(ErrTimeout, os.ErrDeadlineExceeded) holds and Timeout reports true.
var ErrTimeout error = timeoutError{}

type wouldBlockError struct{}

func (wouldBlockError) Error() string        { return "operation would block" }
func (wouldBlockError) Is(target error) bool { return target == errAgain }
func (wouldBlockError) Timeout() bool        { return false }
func (wouldBlockError) Temporary() bool      { return true }

type timeoutError struct{}

func (timeoutError) Error() string        { return "timed out" }
func (timeoutError) Is(target error) bool { return target == os.ErrDeadlineExceeded }
func (timeoutError) Timeout() bool        { return true }
func (timeoutError) Temporary() bool      { return true }

// Unwrap returns the cause, for errors.Is and errors.As.
func (e *OpError) Unwrap() error { return e.Err }

// Temporary reports whether trying again may succeed (a timeout or a
// would-block error).
func (e *OpError) Temporary() bool { return e.Timeout() || errors.Is(e.Err, errAgain) }

// Error describes the address and why it cannot be used.
func (e *AddrError) Error() string { return "conn: " + e.Reason + ": " + e.Addr }

// Timeout reports false: an address error is never a timeout.
func (e *AddrError) Timeout() bool { return false }

// Temporary reports false: the same address fails again.
func (e *AddrError) Temporary() bool { return false }

func addrErr(reason, addr string) *AddrError { return &AddrError{Reason: reason, Addr: addr} }

// Error describes the call and what was wrong with its input.
func (e *ValueError) Error() string { return "conn: " + e.Op + ": " + e.Reason }

// Is matches unix.EINVAL (windows.WSAEINVAL on Windows).
func (e *ValueError) Is(target error) bool { return target == errInval }

func valueErr(op, reason string) *ValueError { return &ValueError{Op: op, Reason: reason} }

// OpError describes a failed socket operation: the operation, the addresses
// involved when known, and the cause (usually an *os.SyscallError, or
// os.ErrDeadlineExceeded, or, on a closed Socket, an error matching both
// net.ErrClosed and syscall.EBADF).
type OpError struct {
	Op     string // "recv", "connect", ...
	Family Family
	Source Addr // local address, when known
	Addr   Addr // remote address, when known
	Err    error
}

// Error describes the operation, its address and its cause.
func (e *OpError) Error() string {
	var b strings.Builder
	b.WriteString("conn: ")
	b.WriteString(e.Op)
	if e.Source != nil {
		b.WriteString(" " + e.Source.String())
		if e.Addr != nil {
			b.WriteString("->")
		}
	}
	if e.Addr != nil {
		if e.Source == nil {
			b.WriteString(" ")
		}
		b.WriteString(e.Addr.String())
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Timeout reports whether the operation failed because its timeout or
// deadline passed.
func (e *OpError) Timeout() bool {
	return errors.Is(e.Err, os.ErrDeadlineExceeded)
}

// Is lets errors.Is match ErrWouldBlock and ErrTimeout against the cause.
func (e *OpError) Is(target error) bool {
	switch target {
	case ErrWouldBlock:
		return errors.Is(e.Err, errAgain) || errors.Is(e.Err, errInProgress)
	case ErrTimeout:
		return e.Timeout()
	}
	return false
}

// AddrError reports an address that cannot be used: a wrong form for the
// socket's family, an out-of-range port, a path too long. It matches
// unix.EINVAL, or the resolver's errno where one applies.
type AddrError struct {
	Reason string
	Addr   string
	errno  syscall.Errno
}

// ValueError reports bad input to a call (a negative size, an unknown
// option value); it matches unix.EINVAL.
type ValueError struct {
	Op     string
	Reason string
}

// errClosed is the cause of a call on a closed Socket: it matches
// net.ErrClosed, which Go callers test for, and EBADF, the errno of
// CPython's OSError for the same call.
var errClosed error = closedError{}

type closedError struct{}

func (closedError) Error() string { return net.ErrClosed.Error() }

func (closedError) Is(target error) bool { return target == net.ErrClosed || target == syscall.EBADF }

// wrapErr builds the error of an operation from a poller error (perr) and
// a system call error (serr); it is the one place that classifies them.
func (s *Socket) wrapErr(op, call string, perr, serr error, addr Addr) error {
	var cause error
	switch {
	case perr != nil && s.closed.Load():
		cause = errClosed
	case perr == os.ErrDeadlineExceeded:
		cause = os.ErrDeadlineExceeded
	case perr != nil:
		if strings.Contains(perr.Error(), "closed") {
			cause = errClosed
		} else {
			cause = perr
		}
	case serr == nil:
		return nil
	default:
		if _, ok := serr.(syscall.Errno); ok {
			cause = os.NewSyscallError(call, serr)
		} else {
			cause = serr
		}
	}
	return &OpError{Op: op, Family: s.family, Addr: addr, Err: cause}
}

// Is matches unix.EINVAL, or the errno the AddrError carries.
func (e *AddrError) Is(target error) bool {
	if e.errno != 0 {
		return target == e.errno
	}
	return target == errInval
}

// asErrno finds the errno in err's chain.
func asErrno(err error, errno *syscall.Errno) bool { return errors.As(err, errno) }

// TooManyBuffersError reports more buffers than one recvmsg(2) or
// sendmsg(2) takes (IOV_MAX). It matches unix.EMSGSIZE, the error Python
// raises for the same call.
type TooManyBuffersError struct {
	N   int // buffers given
	Max int // IOV_MAX
}

// Error says how many buffers were given and the limit.
func (e *TooManyBuffersError) Error() string {
	return strconv.Itoa(e.N) + " buffers, more than IOV_MAX (" + strconv.Itoa(e.Max) + "): " + errMsgSize.Error()
}

// Unwrap returns unix.EMSGSIZE.
func (e *TooManyBuffersError) Unwrap() error { return errMsgSize }

// UnsupportedError reports a call the system does not offer (recvmsg and
// SCM_RIGHTS on Windows, as CPython lacks them there). It matches
// errors.ErrUnsupported.
type UnsupportedError struct {
	Op string // the call, as "recvmsg"
	OS string // the system that lacks it
}

// Error names the call and the system.
func (e *UnsupportedError) Error() string { return e.Op + " is not supported on " + e.OS }

// Unwrap returns errors.ErrUnsupported.
func (e *UnsupportedError) Unwrap() error { return errors.ErrUnsupported }
