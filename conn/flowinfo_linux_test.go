package conn

import (
	"errors"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"
)

// TestFlowInfoReachesKernel: with IPV6_FLOWINFO_SEND, Linux refuses a
// connect whose flow label was never registered, which shows the label
// went through; without a label the same connect succeeds.
func TestFlowInfoReachesKernel(t *testing.T) {
	s := openOrSkip(t, AF_INET6, SOCK_DGRAM, 0)
	if err := s.SetSockopt(RawOpt{Lvl: unix.IPPROTO_IPV6, Num: ipv6FlowinfoSend}, 1); err != nil {
		t.Skip("no IPV6_FLOWINFO_SEND here:", err)
	}
	dst := Inet6Addr{IP: netip.IPv6Loopback(), Port: 9, FlowInfo: 0x12345}
	if err := s.Connect(dst); !errors.Is(err, unix.EINVAL) {
		t.Skipf("connect with an unregistered flow label: %v (kernel does not check labels)", err)
	}
	dst.FlowInfo = 0
	must(t, s.Connect(dst))
	if _, err := s.SendTo([]byte("x"), Inet6Addr{IP: netip.IPv6Loopback(), Port: 9, FlowInfo: 0x12345}); !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.EISCONN) {
		t.Errorf("sendto with an unregistered flow label: %v", err)
	}
}

func TestFlowSockaddr(t *testing.T) {
	a := Inet6Addr{IP: netip.MustParseAddr("2001:db8::1"), Port: 0x1234, FlowInfo: 0xabcde, ScopeID: 3}
	sa, err := a.sockaddr()
	must(t, err)
	r := rawSockaddr(a, sa)
	if r == nil || r.len != unix.SizeofSockaddrInet6 {
		t.Fatal("no raw sockaddr for a flow label")
	}
	raw := (*unix.RawSockaddrInet6)(unsafePointer(&r.rsa))
	port := (*[2]byte)(unsafePointer(&raw.Port))
	if raw.Family != unix.AF_INET6 || port[0] != 0x12 || port[1] != 0x34 || raw.Flowinfo != Htonl(0xabcde) ||
		raw.Scope_id != 3 || raw.Addr != a.IP.As16() {
		t.Errorf("raw = %+v", raw)
	}
	a.FlowInfo = 0
	if rawSockaddr(a, sa) != nil {
		t.Error("raw sockaddr without a flow label")
	}
}

// ipv6FlowinfoSend is IPV6_FLOWINFO_SEND from linux/in6.h (not in x/sys).
const ipv6FlowinfoSend = 33
