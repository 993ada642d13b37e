package loop

import (
	"net"
	"reflect"
	"testing"
)

// TestLiteralEndpointsMatchTheResolver: the resolver-free path gives the
// same endpoint as net's resolver for every address it takes, and leaves
// the others to it.
func TestLiteralEndpointsMatchTheResolver(t *testing.T) {
	for _, tc := range []struct {
		network, address string
		literal          bool
	}{
		{"tcp", "127.0.0.1:80", true},
		{"tcp", "[::1]:443", true},
		{"tcp", "[::ffff:10.0.0.1]:8080", true},
		{"tcp4", "192.0.2.7:1", true},
		{"tcp6", "[2001:db8::1]:65535", true},
		{"udp", "127.0.0.1:53", true},
		{"udp6", "[::1]:53", true},
		{"tcp4", "[::1]:80", false},
		{"tcp6", "127.0.0.1:80", false},
		{"tcp", "0.0.0.0:80", false},
		{"tcp", "[::]:80", false},
		{"tcp", ":80", false},
		{"tcp", "[fe80::1%lo]:80", false},
		{"tcp", "localhost:80", false},
		{"tcp", "127.0.0.1:http", false},
		{"unix", "/tmp/x", false},
	} {
		ep := &endpoint{network: tc.network, address: tc.address}
		if got := ep.setLiteral(tc.network, tc.address); got != tc.literal {
			t.Errorf("%s %s: literal = %v, want %v", tc.network, tc.address, got, tc.literal)
			continue
		}
		if !tc.literal {
			continue
		}
		slow := &endpoint{network: tc.network, address: tc.address}
		if !slowResolve(t, slow) {
			continue
		}
		if !reflect.DeepEqual(ep, slow) {
			t.Errorf("%s %s: literal %+v (%+v), resolver %+v (%+v)", tc.network, tc.address, ep, ep.sa, slow, slow.sa)
		}
	}
}

// slowResolve fills ep as resolveEndpoint did before the literal path.
func slowResolve(t *testing.T, ep *endpoint) bool {
	t.Helper()
	switch ep.network {
	case "tcp", "tcp4", "tcp6":
		a, err := net.ResolveTCPAddr(ep.network, ep.address)
		if err != nil {
			t.Errorf("%s %s: %v", ep.network, ep.address, err)
			return false
		}
		ep.sotype = sockStream
		ep.setIP(ep.network, a.IP, a.Port, a.Zone)
	default:
		a, err := net.ResolveUDPAddr(ep.network, ep.address)
		if err != nil {
			t.Errorf("%s %s: %v", ep.network, ep.address, err)
			return false
		}
		ep.sotype = sockDgram
		ep.setIP(ep.network, a.IP, a.Port, a.Zone)
	}
	return true
}

// BenchmarkResolveLiteral is the address work of a numeric dial.
func BenchmarkResolveLiteral(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := resolveEndpoint("tcp", "127.0.0.1:6379"); err != nil {
			b.Fatal(err)
		}
	}
}
