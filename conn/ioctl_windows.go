package conn

import (
	"os"
	"strconv"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// IoctlCode is a WSAIoctl control code that Socket.Ioctl accepts.
type IoctlCode uint32

// The control codes of Python's socket.ioctl (mstcpip.h values).
const (
	SIO_RCVALL             IoctlCode = 0x98000001 // _WSAIOW(IOC_VENDOR, 1)
	SIO_KEEPALIVE_VALS     IoctlCode = windows.SIO_KEEPALIVE_VALS
	SIO_LOOPBACK_FAST_PATH IoctlCode = 0x98000010 // _WSAIOW(IOC_VENDOR, 16)
)

// RcvAll is SIO_RCVALL's argument: which packets a raw socket receives.
type RcvAll uint32

// SIO_RCVALL modes.
const (
	RCVALL_OFF             RcvAll = 0
	RCVALL_ON              RcvAll = 1
	RCVALL_SOCKETLEVELONLY RcvAll = 2
	RCVALL_MAX             RcvAll = 3 // RCVALL_IPLEVEL
)

// KeepAliveVals is SIO_KEEPALIVE_VALS's argument (struct tcp_keepalive):
// keep-alive on or off, the idle time before the first probe and the time
// between probes, sent to Winsock in whole milliseconds.
type KeepAliveVals struct {
	On       bool
	Time     time.Duration
	Interval time.Duration
}

// String returns the code's name, as "SIO_RCVALL".
func (c IoctlCode) String() string {
	switch c {
	case SIO_RCVALL:
		return "SIO_RCVALL"
	case SIO_KEEPALIVE_VALS:
		return "SIO_KEEPALIVE_VALS"
	case SIO_LOOPBACK_FAST_PATH:
		return "SIO_LOOPBACK_FAST_PATH"
	}
	return "IoctlCode(0x" + strconv.FormatUint(uint64(c), 16) + ")"
}

// Ioctl wraps WSAIoctl for the three controls Python's socket.ioctl
// takes: SIO_RCVALL with a RcvAll, SIO_KEEPALIVE_VALS with a KeepAliveVals,
// SIO_LOOPBACK_FAST_PATH with a bool. Another code, an argument of the
// wrong type, or a negative or too large keep-alive time is a *ValueError;
// what Winsock refuses comes back as its own error (SIO_RCVALL needs a raw
// socket bound to an interface, and administrator rights).
func (s *Socket) Ioctl(code IoctlCode, arg any) error {
	var in []byte
	switch code {
	case SIO_RCVALL:
		mode, ok := arg.(RcvAll)
		if !ok {
			return valueErr("ioctl", "SIO_RCVALL takes a RcvAll")
		}
		v := uint32(mode)
		in = unsafe.Slice((*byte)(unsafe.Pointer(&v)), 4)
	case SIO_KEEPALIVE_VALS:
		ka, ok := arg.(KeepAliveVals)
		if !ok {
			return valueErr("ioctl", "SIO_KEEPALIVE_VALS takes a KeepAliveVals")
		}
		idle, ok1 := millis(ka.Time)
		every, ok2 := millis(ka.Interval)
		if !ok1 || !ok2 {
			return valueErr("ioctl", "keep-alive times must be 0 to 49 days")
		}
		var on uint32
		if ka.On {
			on = 1
		}
		v := [3]uint32{on, idle, every}
		in = unsafe.Slice((*byte)(unsafe.Pointer(&v)), 12)
	case SIO_LOOPBACK_FAST_PATH:
		on, ok := arg.(bool)
		if !ok {
			return valueErr("ioctl", "SIO_LOOPBACK_FAST_PATH takes a bool")
		}
		var v uint32
		if on {
			v = 1
		}
		in = unsafe.Slice((*byte)(unsafe.Pointer(&v)), 4)
	default:
		return valueErr("ioctl", "invalid ioctl command "+code.String())
	}
	if err := s.enter("ioctl"); err != nil {
		return err
	}
	defer s.leave()
	var n uint32
	if err := windows.WSAIoctl(s.h, uint32(code), &in[0], uint32(len(in)), nil, 0, &n, nil, 0); err != nil {
		return &OpError{Op: "ioctl", Family: s.family, Err: os.NewSyscallError("WSAIoctl", err)}
	}
	return nil
}

// millis converts d to whole milliseconds for a u_long field.
func millis(d time.Duration) (uint32, bool) {
	ms := d.Milliseconds()
	if d < 0 || ms > int64(^uint32(0)) {
		return 0, false
	}
	return uint32(ms), true
}
