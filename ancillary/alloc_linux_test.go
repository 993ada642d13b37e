package ancillary_test

import (
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
)

// The operations the benchmarks time, shared so that TestZeroAllocs checks
// exactly what they measure.
var (
	benchInfo4 = ancillary.Inet4PacketInfo{IfIndex: 1, Local: netip.MustParseAddr("127.0.0.1")}
	benchInfo6 = ancillary.Inet6PacketInfo{Addr: netip.IPv6Loopback(), IfIndex: 1}
	benchFDs   = []int{3, 4, 5, 6}
)

// buildAll appends one of each kind of message to b[:0].
func buildAll(b []byte) []byte {
	b, _ = ancillary.AppendRights(b[:0], benchFDs...)
	b = ancillary.AppendCredentials(b, ancillary.Credentials{PID: 1, UID: 2, GID: 3})
	b, _ = ancillary.AppendInet4PacketInfo(b, benchInfo4)
	b, _ = ancillary.AppendInet6PacketInfo(b, benchInfo6)
	b = ancillary.AppendTOS(b, 1)
	b = ancillary.AppendTTL(b, 64)
	b = ancillary.AppendHopLimit(b, 64)
	b = ancillary.AppendTrafficClass(b, 1)
	b = ancillary.AppendUDPSegment(b, 1200)
	return b
}

// decodeParsed walks oob with a Parser and decodes every message it knows
// into fds, returning how many messages it decoded.
func decodeParsed(oob []byte, fds []int) int {
	n := 0
	p := ancillary.NewParser(oob)
	for m, ok := p.Next(); ok; m, ok = p.Next() {
		var err error
		switch {
		case m.IsRights():
			_, err = m.Rights(fds[:0])
		case m.Is(unix.SOL_SOCKET, unix.SCM_CREDENTIALS):
			_, err = m.Credentials()
		case m.Is(unix.IPPROTO_IP, unix.IP_PKTINFO):
			_, err = m.Inet4PacketInfo()
		case m.Is(unix.IPPROTO_IPV6, unix.IPV6_PKTINFO):
			_, err = m.Inet6PacketInfo()
		case m.Is(unix.IPPROTO_IP, unix.IP_TOS):
			_, err = m.TOS()
		case m.Is(unix.IPPROTO_IP, unix.IP_TTL):
			_, err = m.TTL()
		case m.Is(unix.IPPROTO_IPV6, unix.IPV6_HOPLIMIT):
			_, err = m.HopLimit()
		case m.Is(unix.IPPROTO_IPV6, unix.IPV6_TCLASS):
			_, err = m.TrafficClass()
		case m.Is(unix.SOL_UDP, unix.UDP_SEGMENT):
			_, err = m.UDPSegmentSize()
		}
		if err == nil {
			n++
		}
	}
	return n
}

// iterate walks oob with Messages and counts the messages.
func iterate(oob []byte) int {
	n := 0
	for _, err := range ancillary.Messages(oob) {
		if err == nil {
			n++
		}
	}
	return n
}

// Building into a buffer with room, parsing, decoding and TakeRights into
// a slice with room allocate nothing.
func TestZeroAllocs(t *testing.T) {
	buf := make([]byte, 0, 512) // for building, apart from oob
	oob := buildAll(nil)
	fds := make([]int, 0, 8)
	if n := decodeParsed(oob, fds); n != 9 {
		t.Fatalf("decoded %d of 9 messages", n)
	}
	if n := iterate(oob); n != 9 {
		t.Fatalf("iterated %d of 9 messages", n)
	}
	restore := ancillary.SetCloseFD(func(int) error { return nil })
	defer restore()
	tests := []struct {
		name string
		f    func()
	}{
		{name: "build", f: func() { buildAll(buf) }},
		{name: "AppendRights with listed fds", f: func() { ancillary.AppendRights(buf[:0], 3, 4, 5) }},
		{name: "Parser and decoders", f: func() { decodeParsed(oob, fds) }},
		{name: "Messages", f: func() { iterate(oob) }},
		{name: "TakeRights", f: func() { ancillary.TakeRights(fds[:0], oob, 0, 2) }},
		{name: "TakeRights truncated", f: func() { ancillary.TakeRights(fds[:0], oob, unix.MSG_CTRUNC, 2) }},
	}
	for _, tt := range tests {
		if n := testing.AllocsPerRun(100, tt.f); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", tt.name, n)
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf = buildAll(buf)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkAppendRights(b *testing.B) {
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = ancillary.AppendRights(buf[:0], benchFDs...)
	}
}

func BenchmarkParser(b *testing.B) {
	oob := buildAll(nil)
	fds := make([]int, 0, 8)
	b.SetBytes(int64(len(oob)))
	b.ReportAllocs()
	for b.Loop() {
		decodeParsed(oob, fds)
	}
}

func BenchmarkMessages(b *testing.B) {
	oob := buildAll(nil)
	b.SetBytes(int64(len(oob)))
	b.ReportAllocs()
	for b.Loop() {
		iterate(oob)
	}
}

func BenchmarkTakeRights(b *testing.B) {
	oob := buildAll(nil)
	fds := make([]int, 0, 8)
	defer ancillary.SetCloseFD(func(int) error { return nil })()
	b.ReportAllocs()
	for b.Loop() {
		fds, _, _ = ancillary.TakeRights(fds[:0], oob, 0, len(benchFDs))
	}
}
