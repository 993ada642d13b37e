package sockopt_test

import (
	"fmt"
	"log"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/sockopt"
)

// socket opens a socket for an example; the example closes it.
func socket(family, typ int) int {
	fd, err := unix.Socket(family, typ|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		log.Fatal(err)
	}
	return fd
}

// SetReuseAddr lets a server bind its port again while connections of a
// previous run linger in TIME_WAIT.
func ExampleSetReuseAddr() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetReuseAddr(fd, true); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.ReuseAddr(fd))
	// Output: true <nil>
}

// SetReusePort lets several sockets bind one port, and the kernel spread
// connections over them.
func ExampleSetReusePort() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetReusePort(fd, true); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.ReusePort(fd))
	// Output: true <nil>
}

// SetKeepAlive has the kernel probe an idle connection's peer.
func ExampleSetKeepAlive() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetKeepAlive(fd, true); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.KeepAlive(fd))
	// Output: true <nil>
}

// SetKeepAliveIdle sets how long a connection idles before the first
// probe, in whole seconds (rounded up).
func ExampleSetKeepAliveIdle() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetKeepAliveIdle(fd, 1500*time.Millisecond); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.KeepAliveIdle(fd))
	// Output: 2s <nil>
}

// SetKeepAliveInterval sets the time between keep-alive probes.
func ExampleSetKeepAliveInterval() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetKeepAliveInterval(fd, 10*time.Second); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.KeepAliveInterval(fd))
	// Output: 10s <nil>
}

// SetKeepAliveCount sets how many unanswered probes drop the connection.
func ExampleSetKeepAliveCount() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetKeepAliveCount(fd, 4); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.KeepAliveCount(fd))
	// Output: 4 <nil>
}

// SetQuickAck has the kernel acknowledge at once rather than delay.
func ExampleSetQuickAck() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetQuickAck(fd, true); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.QuickAck(fd))
	// Output: true <nil>
}

// SetCork holds partial frames back until the cork is removed, so that a
// header and a body written apart leave in full segments.
func ExampleSetCork() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetCork(fd, true); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.Cork(fd))
	// Output: true <nil>
}

// SetRecvBuffer sets the kernel's receive buffer; Linux reports twice the
// size set, the rest being its bookkeeping.
func ExampleSetRecvBuffer() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetRecvBuffer(fd, 64<<10); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.RecvBuffer(fd))
	// Output: 131072 <nil>
}

// SetSendBuffer sets the kernel's send buffer; Linux reports twice the
// size set.
func ExampleSetSendBuffer() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetSendBuffer(fd, 32<<10); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.SendBuffer(fd))
	// Output: 65536 <nil>
}

// SetRecvLowat sets how many bytes must be buffered before a read or a
// poll reports the socket readable.
func ExampleSetRecvLowat() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetRecvLowat(fd, 512); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.RecvLowat(fd))
	// Output: 512 <nil>
}

// SetRecvTimeout bounds a blocking receive (SO_RCVTIMEO).
func ExampleSetRecvTimeout() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetRecvTimeout(fd, 1500*time.Millisecond); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.RecvTimeout(fd))
	// Output: 1.5s <nil>
}

// SetSendTimeout bounds a blocking send (SO_SNDTIMEO).
func ExampleSetSendTimeout() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetSendTimeout(fd, 2*time.Second); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.SendTimeout(fd))
	// Output: 2s <nil>
}

// SetUserTimeout drops a connection whose sent data stays unacknowledged
// for the duration.
func ExampleSetUserTimeout() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetUserTimeout(fd, 2500*time.Millisecond); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.UserTimeout(fd))
	// Output: 2.5s <nil>
}

// SetFastOpen turns TCP Fast Open on for a listener, with room for n
// requests waiting for their handshake.
func ExampleSetFastOpen() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetFastOpen(fd, 16); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.FastOpen(fd))
	// Output: 16 <nil>
}

// SetDeferAccept holds a connection back from accept until data arrives;
// the kernel reads back the end of the retransmission step the time fell in.
func ExampleSetDeferAccept() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetDeferAccept(fd, 5*time.Second); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.DeferAccept(fd))
	// Output: 7s <nil>
}

// SetNotSentLowat bounds the unsent bytes the kernel holds before it
// reports the socket writable, keeping a sender's data fresh.
func ExampleSetNotSentLowat() {
	fd := socket(unix.AF_INET, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetNotSentLowat(fd, 16<<10); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.NotSentLowat(fd))
	// Output: 16384 <nil>
}

// SetV6Only keeps an IPv6 socket from taking IPv4 traffic too.
func ExampleSetV6Only() {
	fd := socket(unix.AF_INET6, unix.SOCK_STREAM)
	defer unix.Close(fd)
	if err := sockopt.SetV6Only(fd, true); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.V6Only(fd))
	// Output: true <nil>
}

// SetTOS sets the IPv4 type-of-service byte of outgoing packets.
func ExampleSetTOS() {
	fd := socket(unix.AF_INET, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetTOS(fd, 0x10); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.TOS(fd))
	// Output: 16 <nil>
}

// SetTTL sets the IPv4 time-to-live of outgoing unicast packets.
func ExampleSetTTL() {
	fd := socket(unix.AF_INET, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetTTL(fd, 32); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.TTL(fd))
	// Output: 32 <nil>
}

// SetTrafficClass sets the IPv6 traffic class of outgoing packets.
func ExampleSetTrafficClass() {
	fd := socket(unix.AF_INET6, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetTrafficClass(fd, 0x20); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.TrafficClass(fd))
	// Output: 32 <nil>
}

// SetHopLimit sets the IPv6 hop limit of outgoing unicast packets.
func ExampleSetHopLimit() {
	fd := socket(unix.AF_INET6, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetHopLimit(fd, 32); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.HopLimit(fd))
	// Output: 32 <nil>
}

// SetBroadcast allows sending to a broadcast address.
func ExampleSetBroadcast() {
	fd := socket(unix.AF_INET, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetBroadcast(fd, true); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.Broadcast(fd))
	// Output: true <nil>
}

// SetMulticastTTL4 sets how far IPv4 multicast packets travel.
func ExampleSetMulticastTTL4() {
	fd := socket(unix.AF_INET, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetMulticastTTL4(fd, 4); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.MulticastTTL4(fd))
	// Output: 4 <nil>
}

// SetMulticastLoop4 decides whether the host's own IPv4 multicast comes
// back to it.
func ExampleSetMulticastLoop4() {
	fd := socket(unix.AF_INET, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetMulticastLoop4(fd, false); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.MulticastLoop4(fd))
	// Output: false <nil>
}

// SetMulticastHops6 sets how far IPv6 multicast packets travel.
func ExampleSetMulticastHops6() {
	fd := socket(unix.AF_INET6, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetMulticastHops6(fd, 4); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.MulticastHops6(fd))
	// Output: 4 <nil>
}

// SetMulticastLoop6 decides whether the host's own IPv6 multicast comes
// back to it.
func ExampleSetMulticastLoop6() {
	fd := socket(unix.AF_INET6, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetMulticastLoop6(fd, false); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.MulticastLoop6(fd))
	// Output: false <nil>
}

// SetMulticastInterface6 picks the interface, by index, that IPv6
// multicast leaves by.
func ExampleSetMulticastInterface6() {
	fd := socket(unix.AF_INET6, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetMulticastInterface6(fd, 1); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.MulticastInterface6(fd))
	// Output: 1 <nil>
}

// SetRecvPacketInfo4 has each received IPv4 datagram carry its local
// address and interface (IP_PKTINFO), for package ancillary to read.
func ExampleSetRecvPacketInfo4() {
	fd := socket(unix.AF_INET, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetRecvPacketInfo4(fd, true); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.RecvPacketInfo4(fd))
	// Output: true <nil>
}

// SetRecvPacketInfo6 has each received IPv6 datagram carry its local
// address and interface (IPV6_RECVPKTINFO).
func ExampleSetRecvPacketInfo6() {
	fd := socket(unix.AF_INET6, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetRecvPacketInfo6(fd, true); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.RecvPacketInfo6(fd))
	// Output: true <nil>
}

// SetRecvTOS has each received IPv4 datagram carry its TOS byte.
func ExampleSetRecvTOS() {
	fd := socket(unix.AF_INET, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetRecvTOS(fd, true); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.RecvTOS(fd))
	// Output: true <nil>
}

// SetRecvTrafficClass has each received IPv6 datagram carry its traffic
// class.
func ExampleSetRecvTrafficClass() {
	fd := socket(unix.AF_INET6, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetRecvTrafficClass(fd, true); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.RecvTrafficClass(fd))
	// Output: true <nil>
}

// SetTimestamp has each received datagram carry the time it arrived, in
// microseconds (SO_TIMESTAMP).
func ExampleSetTimestamp() {
	fd := socket(unix.AF_INET, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetTimestamp(fd, true); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.Timestamp(fd))
	// Output: true <nil>
}

// SetTimestampNS has each received datagram carry the time it arrived, in
// nanoseconds (SO_TIMESTAMPNS).
func ExampleSetTimestampNS() {
	fd := socket(unix.AF_INET, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetTimestampNS(fd, true); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.TimestampNS(fd))
	// Output: true <nil>
}

// SetUDPGRO lets the kernel coalesce received datagrams of one flow into
// one read, their size reported in control data.
func ExampleSetUDPGRO() {
	fd := socket(unix.AF_INET, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetUDPGRO(fd, true); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.UDPGRO(fd))
	// Output: true <nil>
}

// SetUDPSegment has the kernel split each large send into datagrams of
// the size (UDP GSO).
func ExampleSetUDPSegment() {
	fd := socket(unix.AF_INET, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetUDPSegment(fd, 1200); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.UDPSegment(fd))
	// Output: 1200 <nil>
}

// SetPassCred has a Unix socket receive its peers' credentials with
// their messages.
func ExampleSetPassCred() {
	fd := socket(unix.AF_UNIX, unix.SOCK_DGRAM)
	defer unix.Close(fd)
	if err := sockopt.SetPassCred(fd, true); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sockopt.PassCred(fd))
	// Output: true <nil>
}
