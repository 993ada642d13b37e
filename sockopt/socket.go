//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package sockopt

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// SetReuseAddr sets SO_REUSEADDR: bind may reuse a local address still in
// TIME_WAIT.
func SetReuseAddr(fd int, on bool) error { return soReuseAddr.setBool(fd, on) }

// ReuseAddr reports SO_REUSEADDR.
func ReuseAddr(fd int) (bool, error) { return soReuseAddr.getBool(fd) }

// SetReusePort sets SO_REUSEPORT: several sockets may bind the same address
// and port (on Linux the kernel then balances connections among them).
func SetReusePort(fd int, on bool) error { return soReusePort.setBool(fd, on) }

// ReusePort reports SO_REUSEPORT.
func ReusePort(fd int) (bool, error) { return soReusePort.getBool(fd) }

// SetKeepAlive sets SO_KEEPALIVE: the kernel probes an idle connection.
func SetKeepAlive(fd int, on bool) error { return soKeepAlive.setBool(fd, on) }

// KeepAlive reports SO_KEEPALIVE.
func KeepAlive(fd int) (bool, error) { return soKeepAlive.getBool(fd) }

// SetRecvBuffer sets SO_RCVBUF, the receive buffer size in bytes. Linux
// doubles the value for bookkeeping, so RecvBuffer reads back twice n.
func SetRecvBuffer(fd, n int) error { return soRcvBuf.setInt(fd, n) }

// RecvBuffer reports SO_RCVBUF.
func RecvBuffer(fd int) (int, error) { return soRcvBuf.getInt(fd) }

// SetSendBuffer sets SO_SNDBUF, the send buffer size in bytes. Linux
// doubles the value for bookkeeping, so SendBuffer reads back twice n.
func SetSendBuffer(fd, n int) error { return soSndBuf.setInt(fd, n) }

// SendBuffer reports SO_SNDBUF.
func SendBuffer(fd int) (int, error) { return soSndBuf.getInt(fd) }

// SetLinger sets SO_LINGER. With on, Close waits up to timeout (whole
// seconds) for unsent data, and a zero timeout resets the connection on
// Close; without on, Close returns at once and the kernel sends in the
// background.
func SetLinger(fd int, on bool, timeout time.Duration) error {
	l := unix.Linger{Linger: int32((timeout + time.Second - 1) / time.Second)}
	if on {
		l.Onoff = 1
	}
	if timeout < 0 {
		l.Linger = 0
	}
	if err := unix.SetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER, &l); err != nil {
		return &Error{Option: "SO_LINGER", Err: os.NewSyscallError("setsockopt", err)}
	}
	return nil
}

// Linger reports SO_LINGER: whether it is on, and its timeout.
func Linger(fd int) (on bool, timeout time.Duration, err error) {
	l, err := unix.GetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER)
	if err != nil {
		return false, 0, &Error{Option: "SO_LINGER", Err: os.NewSyscallError("getsockopt", err)}
	}
	return l.Onoff != 0, time.Duration(l.Linger) * time.Second, nil
}

// SetBindToDevice sets SO_BINDTODEVICE: the socket only sends and receives
// through the named interface; an empty name removes the binding. Linux
// only; it needs CAP_NET_RAW.
func SetBindToDevice(fd int, ifname string) error { return soBindToDevice.setString(fd, ifname) }

// BindToDevice reports SO_BINDTODEVICE: the bound interface's name, or "".
func BindToDevice(fd int) (string, error) { return soBindToDevice.getString(fd) }

// SetIncomingCPU sets SO_INCOMING_CPU, the CPU a socket's traffic is
// steered to under SO_REUSEPORT. Linux only.
func SetIncomingCPU(fd, cpu int) error { return soIncomingCPU.setInt(fd, cpu) }

// IncomingCPU reports SO_INCOMING_CPU, the CPU that last handled the
// socket's incoming traffic. Linux only.
func IncomingCPU(fd int) (int, error) { return soIncomingCPU.getInt(fd) }

// SetBusyPoll sets SO_BUSY_POLL, how long a blocking receive busy-polls the
// device queue (microsecond resolution); raising it above the sysctl
// net.core.busy_read needs CAP_NET_ADMIN. Linux only.
func SetBusyPoll(fd int, d time.Duration) error { return soBusyPoll.setDur(fd, d, time.Microsecond) }

// BusyPoll reports SO_BUSY_POLL.
func BusyPoll(fd int) (time.Duration, error) { return soBusyPoll.getDur(fd, time.Microsecond) }

// SetMark sets SO_MARK, the firewall mark on the socket's packets; it needs
// CAP_NET_ADMIN. Linux only.
func SetMark(fd int, mark uint32) error { return soMark.setInt(fd, int(int32(mark))) }

// Mark reports SO_MARK.
func Mark(fd int) (uint32, error) {
	v, err := soMark.getInt(fd)
	return uint32(v), err
}
