//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package sockopt

import (
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// More options with the same number and value size on every supported
// system.
var (
	soType       = option{name: "SO_TYPE", level: unix.SOL_SOCKET, num: unix.SO_TYPE}
	soAcceptConn = option{name: "SO_ACCEPTCONN", level: unix.SOL_SOCKET, num: unix.SO_ACCEPTCONN}
	soBroadcast  = option{name: "SO_BROADCAST", level: unix.SOL_SOCKET, num: unix.SO_BROADCAST}
	soRcvLowat   = option{name: "SO_RCVLOWAT", level: unix.SOL_SOCKET, num: unix.SO_RCVLOWAT}
	soTimestamp  = option{name: "SO_TIMESTAMP", level: unix.SOL_SOCKET, num: unix.SO_TIMESTAMP}
	ipv6RecvPkt  = option{name: "IPV6_RECVPKTINFO", level: unix.IPPROTO_IPV6, num: unix.IPV6_RECVPKTINFO}
	ipv6RecvTCls = option{name: "IPV6_RECVTCLASS", level: unix.IPPROTO_IPV6, num: unix.IPV6_RECVTCLASS}
)

// SocketError reads and clears SO_ERROR, the socket's pending error: after
// a nonblocking connect reports writable, 0 means it succeeded.
func SocketError(fd int) (syscall.Errno, error) {
	v, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
	if err != nil {
		return 0, &Error{Option: "SO_ERROR", Err: os.NewSyscallError("getsockopt", err)}
	}
	return syscall.Errno(v), nil
}

// Type reports SO_TYPE, the socket type (unix.SOCK_STREAM, ...).
func Type(fd int) (int, error) { return soType.getInt(fd) }

// Domain reports SO_DOMAIN, the socket's address family (unix.AF_INET,
// ...). Linux, FreeBSD and OpenBSD.
func Domain(fd int) (int, error) { return soDomain.getInt(fd) }

// Protocol reports SO_PROTOCOL, the socket's protocol (unix.IPPROTO_TCP,
// ...). Linux, FreeBSD and OpenBSD.
func Protocol(fd int) (int, error) { return soProtocol.getInt(fd) }

// SetNoSigpipe sets SO_NOSIGPIPE: writing to a broken connection fails
// with EPIPE instead of raising SIGPIPE. Darwin, FreeBSD, NetBSD and
// DragonFly; Linux has the per-call MSG_NOSIGNAL instead.
func SetNoSigpipe(fd int, on bool) error { return soNoSigpipe.setBool(fd, on) }

// NoSigpipe reports SO_NOSIGPIPE.
func NoSigpipe(fd int) (bool, error) { return soNoSigpipe.getBool(fd) }

// AcceptConn reports SO_ACCEPTCONN: whether the socket is listening.
func AcceptConn(fd int) (bool, error) { return soAcceptConn.getBool(fd) }

// SetBroadcast sets SO_BROADCAST: a datagram socket may send to broadcast
// addresses.
func SetBroadcast(fd int, on bool) error { return soBroadcast.setBool(fd, on) }

// Broadcast reports SO_BROADCAST.
func Broadcast(fd int) (bool, error) { return soBroadcast.getBool(fd) }

// SetRecvLowat sets SO_RCVLOWAT, the bytes that must be buffered before
// the socket reports itself readable.
func SetRecvLowat(fd, n int) error { return soRcvLowat.setInt(fd, n) }

// RecvLowat reports SO_RCVLOWAT.
func RecvLowat(fd int) (int, error) { return soRcvLowat.getInt(fd) }

// SetRecvTimeout sets SO_RCVTIMEO, how long a blocking receive waits
// (microsecond resolution; zero waits forever).
func SetRecvTimeout(fd int, d time.Duration) error {
	return setTimeval(fd, unix.SO_RCVTIMEO, "SO_RCVTIMEO", d)
}

// RecvTimeout reports SO_RCVTIMEO.
func RecvTimeout(fd int) (time.Duration, error) { return timeval(fd, unix.SO_RCVTIMEO, "SO_RCVTIMEO") }

// SetSendTimeout sets SO_SNDTIMEO, how long a blocking send waits.
func SetSendTimeout(fd int, d time.Duration) error {
	return setTimeval(fd, unix.SO_SNDTIMEO, "SO_SNDTIMEO", d)
}

// SendTimeout reports SO_SNDTIMEO.
func SendTimeout(fd int) (time.Duration, error) { return timeval(fd, unix.SO_SNDTIMEO, "SO_SNDTIMEO") }

func setTimeval(fd, opt int, name string, d time.Duration) error {
	tv := unix.NsecToTimeval(max(d, 0).Nanoseconds())
	if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, opt, &tv); err != nil {
		return &Error{Option: name, Err: os.NewSyscallError("setsockopt", err)}
	}
	return nil
}

func timeval(fd, opt int, name string) (time.Duration, error) {
	tv, err := unix.GetsockoptTimeval(fd, unix.SOL_SOCKET, opt)
	if err != nil {
		return 0, &Error{Option: name, Err: os.NewSyscallError("getsockopt", err)}
	}
	return time.Duration(tv.Nano()), nil
}

// SetTimestamp sets SO_TIMESTAMP: received datagrams carry their arrival
// time (microseconds) as a control message.
func SetTimestamp(fd int, on bool) error { return soTimestamp.setBool(fd, on) }

// Timestamp reports SO_TIMESTAMP.
func Timestamp(fd int) (bool, error) { return soTimestamp.getBool(fd) }

// SetTimestampNS sets SO_TIMESTAMPNS, as SO_TIMESTAMP with nanoseconds.
// Linux only.
func SetTimestampNS(fd int, on bool) error { return soTimestampNS.setBool(fd, on) }

// TimestampNS reports SO_TIMESTAMPNS.
func TimestampNS(fd int) (bool, error) { return soTimestampNS.getBool(fd) }

// SetPassCred sets SO_PASSCRED: a Unix socket receives the sender's
// credentials as a control message. Linux only.
func SetPassCred(fd int, on bool) error { return soPassCred.setBool(fd, on) }

// PassCred reports SO_PASSCRED.
func PassCred(fd int) (bool, error) { return soPassCred.getBool(fd) }

// SetRecvPacketInfo4 sets IP_PKTINFO: received IPv4 datagrams carry their
// destination address and interface as a control message. Linux and
// Darwin.
func SetRecvPacketInfo4(fd int, on bool) error { return ipPktInfo.setBool(fd, on) }

// RecvPacketInfo4 reports IP_PKTINFO.
func RecvPacketInfo4(fd int) (bool, error) { return ipPktInfo.getBool(fd) }

// SetRecvPacketInfo6 sets IPV6_RECVPKTINFO, as IP_PKTINFO for IPv6.
func SetRecvPacketInfo6(fd int, on bool) error { return ipv6RecvPkt.setBool(fd, on) }

// RecvPacketInfo6 reports IPV6_RECVPKTINFO.
func RecvPacketInfo6(fd int) (bool, error) { return ipv6RecvPkt.getBool(fd) }

// SetRecvTOS sets IP_RECVTOS: received IPv4 datagrams carry their TOS byte
// as a control message.
func SetRecvTOS(fd int, on bool) error { return ipRecvTOS.setBool(fd, on) }

// RecvTOS reports IP_RECVTOS.
func RecvTOS(fd int) (bool, error) { return ipRecvTOS.getBool(fd) }

// SetRecvTrafficClass sets IPV6_RECVTCLASS, as IP_RECVTOS for IPv6.
func SetRecvTrafficClass(fd int, on bool) error { return ipv6RecvTCls.setBool(fd, on) }

// RecvTrafficClass reports IPV6_RECVTCLASS.
func RecvTrafficClass(fd int) (bool, error) { return ipv6RecvTCls.getBool(fd) }

// SetUDPSegment sets UDP_SEGMENT: sends larger than size are split by the
// kernel (or the device) into datagrams of size bytes (GSO); 0 turns it
// off. Linux only.
func SetUDPSegment(fd, size int) error { return udpSegment.setInt(fd, size) }

// UDPSegment reports UDP_SEGMENT.
func UDPSegment(fd int) (int, error) { return udpSegment.getInt(fd) }

// SetUDPGRO sets UDP_GRO: the kernel may coalesce received datagrams into
// one read, reporting the segment size as a control message. Linux only.
func SetUDPGRO(fd int, on bool) error { return udpGRO.setBool(fd, on) }

// UDPGRO reports UDP_GRO.
func UDPGRO(fd int) (bool, error) { return udpGRO.getBool(fd) }
