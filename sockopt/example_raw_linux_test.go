package sockopt_test

import (
	"errors"
	"fmt"
	"log"
	"net"
	"net/netip"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/sockopt"
)

// SetLinger makes close wait up to the timeout for unsent data, or with a
// zero timeout reset the connection at once.
func ExampleSetLinger() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetLinger(fd, true, 3*time.Second); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.Linger(fd))
	// Output: true 3s <nil>
}

// SetCongestion picks a connection's congestion control algorithm by name;
// one the kernel does not have fails with ENOENT.
func ExampleSetCongestion() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	err := sockopt.SetCongestion(fd, "no-such-algorithm")
	fmt.Println(errors.Is(err, unix.ENOENT))
	if err := sockopt.SetCongestion(fd, "reno"); err != nil {
		fmt.Println(err) // not allowed to this process
		return
	}
	fmt.Println(sockopt.Congestion(fd))
	// Output:
	// true
	// reno <nil>
}

// SetBindToDevice ties a socket to one interface; it needs CAP_NET_RAW.
func ExampleSetBindToDevice() {
	fd := socket(unix.AF_INET, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetBindToDevice(fd, "lo"); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sockopt.BindToDevice(fd))
}

// SetMark sets the firewall mark of a socket's packets, for policy
// routing; it needs CAP_NET_ADMIN.
func ExampleSetMark() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetMark(fd, 42); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sockopt.Mark(fd))
}

// SetBusyPoll has blocking receives busy-poll the device queue for a
// while; above the sysctl net.core.busy_read it needs CAP_NET_ADMIN.
func ExampleSetBusyPoll() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetBusyPoll(fd, 50*time.Microsecond); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sockopt.BusyPoll(fd))
}

// SetIncomingCPU asks for a socket's traffic to be steered to a CPU, among
// sockets sharing a port with SO_REUSEPORT.
func ExampleSetIncomingCPU() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetIncomingCPU(fd, 0); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.IncomingCPU(fd))
	// Output: 0 <nil>
}

// SetMulticastInterface4 picks the interface, by one of its addresses,
// that IPv4 multicast leaves by.
func ExampleSetMulticastInterface4() {
	fd := socket(unix.AF_INET, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetMulticastInterface4(fd, netip.MustParseAddr("127.0.0.1")); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.MulticastInterface4(fd))
	// Output: 127.0.0.1 <nil>
}

// JoinGroup4 subscribes a socket to an IPv4 multicast group on the
// interface with the given address (the unspecified one lets the kernel
// choose); LeaveGroup4 ends it.
func ExampleJoinGroup4() {
	fd := socket(unix.AF_INET, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	group := netip.MustParseAddr("239.1.2.3")
	if err := sockopt.JoinGroup4(fd, group, netip.IPv4Unspecified()); err != nil {
		fmt.Println(err) // no multicast route here
		return
	}
	defer sockopt.LeaveGroup4(fd, group, netip.IPv4Unspecified())
	// ... receive the group's datagrams on fd ...
}

// JoinGroup6 subscribes a socket to an IPv6 multicast group on the
// interface with the given index (0 lets the kernel choose).
func ExampleJoinGroup6() {
	fd := socket(unix.AF_INET6, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	group := netip.MustParseAddr("ff12::1234")
	if err := sockopt.JoinGroup6(fd, group, 0); err != nil {
		fmt.Println(err)
		return
	}
	defer sockopt.LeaveGroup6(fd, group, 0)
	// ... receive the group's datagrams on fd ...
}

// GetInt and SetInt reach any integer option by level and number, as
// Python's getsockopt and setsockopt do.
func ExampleSetInt() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetInt(fd, unix.IPPROTO_TCP, unix.TCP_MAXSEG, 1000); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.GetInt(fd, unix.IPPROTO_TCP, unix.TCP_MAXSEG))
	// Output: 1000 <nil>
}

// GetBytes and SetBytes pass an option's raw bytes, for options that are
// structures.
func ExampleSetBytes() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetBytes(fd, unix.IPPROTO_TCP, unix.TCP_CONGESTION, []byte("reno")); err != nil {
		fmt.Println(err)
		return
	}
	name, err := sockopt.GetBytes(fd, unix.IPPROTO_TCP, unix.TCP_CONGESTION, 16)
	fmt.Printf("%q %v\n", name[:4], err)
	// Output: "reno" <nil>
}

// GetInto reads an option into the caller's buffer, allocating nothing.
func ExampleGetInto() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	var buf [8]byte // struct linger
	n, err := sockopt.GetInto(fd, unix.SOL_SOCKET, unix.SO_LINGER, buf[:])
	fmt.Println(n, err, buf)
	// Output: 8 <nil> [0 0 0 0 0 0 0 0]
}

// SetNil is setsockopt with a NULL value and a length, as AF_ALG sockets
// want for ALG_SET_AEAD_AUTHSIZE.
func ExampleSetNil() {
	fd, err := unix.Socket(unix.AF_ALG, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		fmt.Println(err) // no AF_ALG here
		return
	}
	defer unix.Close(fd)
	addr := &unix.SockaddrALG{Type: "aead", Name: "gcm(aes)"}
	if err := unix.Bind(fd, addr); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sockopt.SetNil(fd, unix.SOL_ALG, unix.ALG_SET_AEAD_AUTHSIZE, 16))
}

// Domain, Type and Protocol read what a descriptor is, as a program
// handed one by its parent needs to know.
func ExampleDomain() {
	fd := socket(unix.AF_INET6, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	d, _ := sockopt.Domain(fd)
	t, _ := sockopt.Type(fd)
	p, _ := sockopt.Protocol(fd)
	fmt.Println(d == unix.AF_INET6, t == unix.SOCK_DGRAM, p == unix.IPPROTO_UDP)
	// Output: true true true
}

// AcceptConn reports whether a socket is listening.
func ExampleAcceptConn() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	before, _ := sockopt.AcceptConn(fd)
	unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}})
	unix.Listen(fd, 8)
	after, _ := sockopt.AcceptConn(fd)
	fmt.Println(before, after)
	// Output: false true
}

// SocketError reads the pending error of a socket: after a non-blocking
// connect reports writable, 0 means it succeeded.
func ExampleSocketError() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens there now

	fd := socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK)
	defer unix.Close(fd)
	unix.Connect(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}, Port: port})
	pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
	unix.Poll(pfd, 5000)
	errno, err := sockopt.SocketError(fd)
	fmt.Println(errno == syscall.ECONNREFUSED, err)
	// Output: true <nil>
}

// GetTCPInfo reads a connection's TCP state, round-trip time and more.
func ExampleGetTCPInfo() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	raw, _ := c.(*net.TCPConn).SyscallConn()
	var info *sockopt.TCPInfo
	raw.Control(func(fd uintptr) { info, err = sockopt.GetTCPInfo(int(fd)) })
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.State == 1, info.SendMSS > 0) // 1: ESTABLISHED on Linux
	// Output: true true
}

// An option the platform lacks fails without a system call, with an *Error
// naming it that matches errors.ErrUnsupported: Linux has MSG_NOSIGNAL
// instead of SO_NOSIGPIPE.
func ExampleError() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	err := sockopt.SetNoSigpipe(fd, true)
	var oe *sockopt.Error
	fmt.Println(errors.As(err, &oe), oe.Option, errors.Is(err, errors.ErrUnsupported))
	// Output: true SO_NOSIGPIPE true
}
