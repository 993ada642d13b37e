package ancillary_test

import (
	"errors"
	"net"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
)

// udpSocket returns a UDP socket of the family, bound to addr (port 0)
// unless addr is the zero Addr, with the given int options set to 1 and a
// receive timeout that only guards against a hang. It is closed at the end
// of the test; binding ::1 where IPv6 is off skips the test.
func udpSocket(t *testing.T, family int, addr netip.Addr, opts ...[2]int) (fd int, bound unix.Sockaddr) {
	t.Helper()
	fd, err := unix.Socket(family, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		if family == unix.AF_INET6 {
			t.Skipf("no IPv6 socket: %v", err)
		}
		t.Fatalf("socket: %v", err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	tv := unix.Timeval{Sec: 10}
	if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		t.Fatal(err)
	}
	for _, o := range opts {
		if err := unix.SetsockoptInt(fd, o[0], o[1], 1); err != nil {
			if errors.Is(err, unix.ENOPROTOOPT) {
				t.Skipf("socket option %d/%d not supported: %v", o[0], o[1], err)
			}
			t.Fatalf("setsockopt %d/%d: %v", o[0], o[1], err)
		}
	}
	if !addr.IsValid() {
		return fd, nil
	}
	var sa unix.Sockaddr = &unix.SockaddrInet6{Addr: addr.As16()}
	if family == unix.AF_INET {
		sa = &unix.SockaddrInet4{Addr: addr.As4()}
	}
	if err := unix.Bind(fd, sa); err != nil {
		if family == unix.AF_INET6 {
			t.Skipf("cannot bind ::1: %v", err)
		}
		t.Fatalf("bind: %v", err)
	}
	bound, err = unix.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return fd, bound
}

// loopbackIndex returns the loopback interface's index.
func loopbackIndex(t *testing.T) int {
	t.Helper()
	ifs, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagLoopback != 0 {
			return ifc.Index
		}
	}
	t.Fatal("no loopback interface")
	return 0
}

// A datagram sent with IP_PKTINFO from 127.0.0.2, TOS and TTL arrives with
// those values and with packet info naming where it came in.
func TestInet4PacketInfo(t *testing.T) {
	recv, to := udpSocket(t, unix.AF_INET, netip.MustParseAddr("127.0.0.1"),
		[2]int{unix.IPPROTO_IP, unix.IP_PKTINFO}, [2]int{unix.IPPROTO_IP, unix.IP_RECVTOS},
		[2]int{unix.IPPROTO_IP, unix.IP_RECVTTL})
	send, _ := udpSocket(t, unix.AF_INET, netip.Addr{})
	oob, err := ancillary.AppendInet4PacketInfo(make([]byte, 0, 128),
		ancillary.Inet4PacketInfo{Local: netip.MustParseAddr("127.0.0.2")})
	if err != nil {
		t.Fatal(err)
	}
	oob = ancillary.AppendTOS(oob, 0x10)
	oob = ancillary.AppendTTL(oob, 42)
	if err := unix.Sendmsg(send, []byte("v4"), oob, to, 0); err != nil {
		t.Fatalf("sendmsg: %v", err)
	}
	got := recvmsg(t, recv, 256)
	if from, ok := got.from.(*unix.SockaddrInet4); !ok || from.Addr != [4]byte{127, 0, 0, 2} {
		t.Errorf("datagram from %+v, want 127.0.0.2 chosen by IP_PKTINFO", got.from)
	}
	pi, err := findMessage(t, got.oob, unix.IPPROTO_IP, unix.IP_PKTINFO).Inet4PacketInfo()
	want := ancillary.Inet4PacketInfo{IfIndex: loopbackIndex(t),
		Local: netip.MustParseAddr("127.0.0.1"), Dst: netip.MustParseAddr("127.0.0.1")}
	if err != nil || pi != want {
		t.Errorf("Inet4PacketInfo = %+v, %v; want %+v", pi, err, want)
	}
	if tos, err := findMessage(t, got.oob, unix.IPPROTO_IP, unix.IP_TOS).TOS(); tos != 0x10 || err != nil {
		t.Errorf("TOS = %#x, %v; want 0x10", tos, err)
	}
	if ttl, err := findMessage(t, got.oob, unix.IPPROTO_IP, unix.IP_TTL).TTL(); ttl != 42 || err != nil {
		t.Errorf("TTL = %d, %v; want 42", ttl, err)
	}
}

func TestInet6PacketInfo(t *testing.T) {
	recv, to := udpSocket(t, unix.AF_INET6, netip.IPv6Loopback(),
		[2]int{unix.IPPROTO_IPV6, unix.IPV6_RECVPKTINFO}, [2]int{unix.IPPROTO_IPV6, unix.IPV6_RECVHOPLIMIT},
		[2]int{unix.IPPROTO_IPV6, unix.IPV6_RECVTCLASS})
	send, _ := udpSocket(t, unix.AF_INET6, netip.Addr{})
	lo := loopbackIndex(t)
	oob, err := ancillary.AppendInet6PacketInfo(make([]byte, 0, 128),
		ancillary.Inet6PacketInfo{Addr: netip.IPv6Loopback(), IfIndex: lo})
	if err != nil {
		t.Fatal(err)
	}
	oob = ancillary.AppendHopLimit(oob, 7)
	oob = ancillary.AppendTrafficClass(oob, 0x20)
	if err := unix.Sendmsg(send, []byte("v6"), oob, to, 0); err != nil {
		t.Fatalf("sendmsg: %v", err)
	}
	got := recvmsg(t, recv, 256)
	pi, err := findMessage(t, got.oob, unix.IPPROTO_IPV6, unix.IPV6_PKTINFO).Inet6PacketInfo()
	want := ancillary.Inet6PacketInfo{Addr: netip.IPv6Loopback(), IfIndex: lo}
	if err != nil || pi != want {
		t.Errorf("Inet6PacketInfo = %+v, %v; want %+v", pi, err, want)
	}
	if v, err := findMessage(t, got.oob, unix.IPPROTO_IPV6, unix.IPV6_HOPLIMIT).HopLimit(); v != 7 || err != nil {
		t.Errorf("HopLimit = %d, %v; want 7", v, err)
	}
	if v, err := findMessage(t, got.oob, unix.IPPROTO_IPV6, unix.IPV6_TCLASS).TrafficClass(); v != 0x20 || err != nil {
		t.Errorf("TrafficClass = %#x, %v; want 0x20", v, err)
	}
}
