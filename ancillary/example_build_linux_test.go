//go:build linux && (amd64 || arm64)

package ancillary_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log"
	"net/netip"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
)

// Space sizes a receive buffer: the sum of Space for each message
// expected, here up to 4 descriptors and a set of credentials.
func ExampleSpace() {
	fds, _ := ancillary.Space(4 * 4)
	creds, _ := ancillary.Space(12)
	fmt.Println(fds, creds, fds+creds)
	// Output: 32 32 64
}

// Append adds a control message of any level and type.
func ExampleAppend() {
	oob, err := ancillary.Append(nil, unix.SOL_SOCKET, unix.SCM_RIGHTS, []byte{0, 0, 0, 0})
	if err != nil {
		log.Fatal(err)
	}
	for m := range ancillary.Messages(oob) {
		fmt.Println(m.IsRights(), m.NumRights(), len(oob))
	}
	// Output: true 1 24
}

// AppendTTL sets the time to live of the one datagram it is sent with.
func ExampleAppendTTL() {
	oob := ancillary.AppendTTL(nil, 7)
	for m := range ancillary.Messages(oob) {
		fmt.Println(m.TTL())
	}
	// Output: 7 <nil>
}

// AppendTOS sets the type-of-service byte of the one IPv4 datagram it is
// sent with.
func ExampleAppendTOS() {
	oob := ancillary.AppendTOS(nil, 0x10)
	for m := range ancillary.Messages(oob) {
		fmt.Println(m.TOS())
	}
	// Output: 16 <nil>
}

// AppendHopLimit sets the hop limit of the one IPv6 datagram it is sent
// with.
func ExampleAppendHopLimit() {
	oob := ancillary.AppendHopLimit(nil, 3)
	for m := range ancillary.Messages(oob) {
		fmt.Println(m.HopLimit())
	}
	// Output: 3 <nil>
}

// AppendTrafficClass sets the traffic class of the one IPv6 datagram it is
// sent with.
func ExampleAppendTrafficClass() {
	oob := ancillary.AppendTrafficClass(nil, 0xb8)
	for m := range ancillary.Messages(oob) {
		fmt.Println(m.TrafficClass())
	}
	// Output: 184 <nil>
}

// AppendUDPSegment asks the kernel to cut one large send into datagrams of
// the size (UDP GSO).
func ExampleAppendUDPSegment() {
	oob := ancillary.AppendUDPSegment(nil, 1200)
	for m := range ancillary.Messages(oob) {
		fmt.Println(m.UDPSegmentSize())
	}
	// Output: 1200 <nil>
}

// AppendInet4PacketInfo picks the source address (and interface) of the
// one IPv4 datagram it is sent with.
func ExampleAppendInet4PacketInfo() {
	oob, err := ancillary.AppendInet4PacketInfo(nil, ancillary.Inet4PacketInfo{Local: netip.MustParseAddr("192.0.2.7")})
	if err != nil {
		log.Fatal(err)
	}
	for m := range ancillary.Messages(oob) {
		p, err := m.Inet4PacketInfo()
		fmt.Println(p.Local, p.IfIndex, err)
	}
	// Output: 192.0.2.7 0 <nil>
}

// AppendInet6PacketInfo picks the source address and interface of the one
// IPv6 datagram it is sent with.
func ExampleAppendInet6PacketInfo() {
	oob, err := ancillary.AppendInet6PacketInfo(nil, ancillary.Inet6PacketInfo{Addr: netip.MustParseAddr("2001:db8::7"), IfIndex: 2})
	if err != nil {
		log.Fatal(err)
	}
	for m := range ancillary.Messages(oob) {
		p, err := m.Inet6PacketInfo()
		fmt.Println(p.Addr, p.IfIndex, err)
	}
	// Output: 2001:db8::7 2 <nil>
}

// A builder given what a message cannot carry returns an *ArgError, which
// matches ErrInvalid, and the slice unchanged.
func ExampleArgError() {
	oob, err := ancillary.AppendRights(nil, -1)
	fmt.Println(len(oob), errors.Is(err, ancillary.ErrInvalid))
	// Output: 0 true
}

// A decoder applied to a message of another kind returns a *DecodeError,
// which matches ErrMismatch.
func ExampleDecodeError() {
	oob := ancillary.AppendTTL(nil, 64)
	for m := range ancillary.Messages(oob) {
		_, err := m.HopLimit()
		var de *ancillary.DecodeError
		fmt.Println(errors.As(err, &de), de.Op, errors.Is(err, ancillary.ErrMismatch))
	}
	// Output: true HopLimit true
}

// A UDP_GRO message says the size of the datagrams the kernel coalesced
// into one receive; every one but the last has it.
func ExampleMessage_GROSegmentSize() {
	size := binary.NativeEndian.AppendUint32(nil, 1400) // a C int
	oob, _ := ancillary.Append(nil, unix.SOL_UDP, unix.UDP_GRO, size)
	for m := range ancillary.Messages(oob) {
		fmt.Println(m.GROSegmentSize())
	}
	// Output: 1400 <nil>
}

// udp4 opens a UDP socket bound to a loopback port.
func udp4() (int, *unix.SockaddrInet4) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		log.Fatal(err)
	}
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		log.Fatal(err)
	}
	sa, _ := unix.Getsockname(fd)
	return fd, sa.(*unix.SockaddrInet4)
}

// ReceivedOn reads the local address a datagram came to, and AppendSource
// sends the reply from it: a server bound to a wildcard address answers
// from the address each client used.
func ExampleReceivedOn() {
	server, serverAddr := udp4()
	defer unix.Close(server)
	client, _ := udp4()
	defer unix.Close(client)
	unix.SetsockoptInt(server, unix.IPPROTO_IP, unix.IP_PKTINFO, 1)

	unix.Sendto(client, []byte("hello?"), 0, serverAddr)
	buf := make([]byte, 64)
	oob := make([]byte, 64)
	n, oobn, _, from, err := unix.Recvmsg(server, buf, oob, 0)
	if err != nil {
		log.Fatal(err)
	}
	local, _, err := ancillary.ReceivedOn(oob[:oobn])
	fmt.Println(string(buf[:n]), "to", local, err)

	reply, err := ancillary.AppendSource(nil, local, 0)
	if err != nil {
		log.Fatal(err)
	}
	unix.Sendmsg(server, []byte("hello!"), reply, from, 0)
	n, src, _ := unix.Recvfrom(client, buf, 0)
	fmt.Println(string(buf[:n]), "from", netip.AddrFrom4(src.(*unix.SockaddrInet4).Addr))
	// Output:
	// hello? to 127.0.0.1 <nil>
	// hello! from 127.0.0.1
}

// AppendCredentials sends the sender's own process, user and group ids,
// which the kernel checks; a receiver with SO_PASSCRED reads them.
func ExampleAppendCredentials() {
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer unix.Close(pair[0])
	defer unix.Close(pair[1])
	unix.SetsockoptInt(pair[1], unix.SOL_SOCKET, unix.SO_PASSCRED, 1)

	me := ancillary.Credentials{PID: int32(os.Getpid()), UID: uint32(os.Getuid()), GID: uint32(os.Getgid())}
	unix.Sendmsg(pair[0], []byte("x"), ancillary.AppendCredentials(nil, me), nil, 0)
	oob := make([]byte, 64)
	_, oobn, _, _, err := unix.Recvmsg(pair[1], make([]byte, 1), oob, 0)
	if err != nil {
		log.Fatal(err)
	}
	for m := range ancillary.Messages(oob[:oobn]) {
		c, err := m.Credentials()
		fmt.Println(c == me, err)
	}
	// Output: true <nil>
}

// CloseRights closes every descriptor a message carried, for a receiver
// that takes none.
func ExampleCloseRights() {
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer unix.Close(pair[0])
	defer unix.Close(pair[1])
	oob, _ := ancillary.AppendRights(nil, 0, 1) // two duplicates of stdin and stdout
	unix.Sendmsg(pair[0], []byte("x"), oob, nil, 0)

	rbuf := make([]byte, 64)
	_, oobn, flags, _, err := unix.Recvmsg(pair[1], make([]byte, 1), rbuf, unix.MSG_CMSG_CLOEXEC)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ancillary.CloseRights(rbuf[:oobn], flags))
	// Output: 2 <nil>
}

// Rights returns the descriptors of an SCM_RIGHTS message, which the
// caller then owns.
func ExampleMessage_Rights() {
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer unix.Close(pair[0])
	defer unix.Close(pair[1])
	oob, _ := ancillary.AppendRights(nil, 1)
	unix.Sendmsg(pair[0], []byte("x"), oob, nil, 0)

	rbuf := make([]byte, 64)
	_, oobn, _, _, err := unix.Recvmsg(pair[1], make([]byte, 1), rbuf, unix.MSG_CMSG_CLOEXEC)
	if err != nil {
		log.Fatal(err)
	}
	for m := range ancillary.Messages(rbuf[:oobn]) {
		fds, err := m.Rights(nil)
		fmt.Println(len(fds), err)
		for _, fd := range fds {
			unix.Close(fd)
		}
	}
	// Output: 1 <nil>
}

// Timestamp decodes the time a datagram arrived, with SO_TIMESTAMPNS set
// on the socket.
func ExampleMessage_Timestamp() {
	server, serverAddr := udp4()
	defer unix.Close(server)
	client, _ := udp4()
	defer unix.Close(client)
	unix.SetsockoptInt(server, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1)

	before := time.Now().Add(-time.Second)
	unix.Sendto(client, []byte("tick"), 0, serverAddr)
	oob := make([]byte, 64)
	_, oobn, _, _, err := unix.Recvmsg(server, make([]byte, 8), oob, 0)
	if err != nil {
		log.Fatal(err)
	}
	for m := range ancillary.Messages(oob[:oobn]) {
		t, err := m.Timestamp()
		fmt.Println(t.After(before), err)
	}
	// Output: true <nil>
}
