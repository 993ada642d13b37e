package ancillary_test

import (
	"errors"
	"net/netip"
	"os"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
)

// A server on a wildcard address answers each peer from the address the
// peer sent to, with ReceivedOn and AppendSource.
func TestReplyFromReceivedAddress(t *testing.T) {
	tests := []struct {
		name         string
		serverFamily int
		serverAddr   netip.Addr
		opt          [2]int
		clientFamily int
		sendTo       netip.Addr
		wantLocal    netip.Addr
	}{
		{name: "IPv4", serverFamily: unix.AF_INET, serverAddr: netip.IPv4Unspecified(),
			opt: [2]int{unix.IPPROTO_IP, unix.IP_PKTINFO}, clientFamily: unix.AF_INET,
			sendTo: netip.MustParseAddr("127.0.0.3"), wantLocal: netip.MustParseAddr("127.0.0.3")},
		{name: "IPv6", serverFamily: unix.AF_INET6, serverAddr: netip.IPv6Unspecified(),
			opt: [2]int{unix.IPPROTO_IPV6, unix.IPV6_RECVPKTINFO}, clientFamily: unix.AF_INET6,
			sendTo: netip.IPv6Loopback(), wantLocal: netip.IPv6Loopback()},
		{name: "IPv4 to dual-stack IPv6", serverFamily: unix.AF_INET6, serverAddr: netip.IPv6Unspecified(),
			opt: [2]int{unix.IPPROTO_IPV6, unix.IPV6_RECVPKTINFO}, clientFamily: unix.AF_INET,
			sendTo: netip.MustParseAddr("127.0.0.4"), wantLocal: netip.MustParseAddr("::ffff:127.0.0.4")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.serverFamily != tt.clientFamily {
				if b, err := os.ReadFile("/proc/sys/net/ipv6/bindv6only"); err != nil || string(b) != "0\n" {
					t.Skipf("IPv6 sockets are not dual-stack by default here (bindv6only %q, %v)", b, err)
				}
			}
			server, bound := udpSocket(t, tt.serverFamily, tt.serverAddr, tt.opt)
			client, _ := udpSocket(t, tt.clientFamily, netip.Addr{})
			var to unix.Sockaddr = &unix.SockaddrInet6{Addr: tt.sendTo.As16(), Port: portOf(bound)}
			if tt.clientFamily == unix.AF_INET {
				to = &unix.SockaddrInet4{Addr: tt.sendTo.As4(), Port: portOf(bound)}
			}
			if err := unix.Sendto(client, []byte("ping"), 0, to); err != nil {
				t.Fatalf("sendto: %v", err)
			}
			req := recvmsg(t, server, 128)
			local, ifIndex, err := ancillary.ReceivedOn(req.oob)
			if err != nil || local != tt.wantLocal || ifIndex != loopbackIndex(t) {
				t.Fatalf("ReceivedOn = %v, %d, %v; want %v on the loopback", local, ifIndex, err, tt.wantLocal)
			}
			oob, err := ancillary.AppendSource(nil, local, ifIndex)
			if err != nil {
				t.Fatal(err)
			}
			if err := unix.Sendmsg(server, []byte("pong"), oob, req.from, 0); err != nil {
				t.Fatalf("reply: %v", err)
			}
			resp := recvmsg(t, client, 0)
			var from netip.Addr
			switch sa := resp.from.(type) {
			case *unix.SockaddrInet4:
				from = netip.AddrFrom4(sa.Addr)
			case *unix.SockaddrInet6:
				from = netip.AddrFrom16(sa.Addr)
			}
			if string(resp.data) != "pong" || from != tt.sendTo {
				t.Fatalf("reply %q from %v, want pong from %v", resp.data, from, tt.sendTo)
			}
		})
	}
}

// portOf returns the port of an inet socket address.
func portOf(sa unix.Sockaddr) int {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return sa.Port
	case *unix.SockaddrInet6:
		return sa.Port
	}
	return 0
}

func TestReceivedOnErrors(t *testing.T) {
	hop := ancillary.AppendHopLimit(nil, 1)
	if _, _, err := ancillary.ReceivedOn(hop); !errors.Is(err, ancillary.ErrNotFound) {
		t.Errorf("without packet info: err = %v, want ErrNotFound", err)
	}
	if _, _, err := ancillary.ReceivedOn(append(hop, 1)); !errors.Is(err, ancillary.ErrMalformed) {
		t.Errorf("malformed: err = %v, want ErrMalformed", err)
	}
	short := mustAppend(t, unix.IPPROTO_IP, unix.IP_PKTINFO, make([]byte, 8))
	if _, _, err := ancillary.ReceivedOn(short); !errors.Is(err, ancillary.ErrMalformed) {
		t.Errorf("short IP_PKTINFO: err = %v, want ErrMalformed", err)
	}
	if b, err := ancillary.AppendSource([]byte("s"), netip.Addr{}, 0); !errors.Is(err, ancillary.ErrInvalid) || string(b) != "s" {
		t.Errorf("AppendSource(zero Addr) = %q, %v; want unchanged, ErrInvalid", b, err)
	}
}
