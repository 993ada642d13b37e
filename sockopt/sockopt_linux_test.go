package sockopt_test

import (
	"errors"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/internal/leaktest"
	"github.com/sockloop/sockloop/sockopt"
)

// TestMain fails the run if the tests leave descriptors or goroutines behind.
func TestMain(m *testing.M) { os.Exit(leaktest.Main(m)) }

// newSocket opens a socket closed when the test ends.
func newSocket(t *testing.T, family, typ int) int {
	t.Helper()
	fd, err := unix.Socket(family, typ|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Skipf("socket(%d, %d): %v", family, typ, err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	return fd
}

// skipPrivileged skips a test whose option this process may not set here.
func skipPrivileged(t *testing.T, err error) {
	t.Helper()
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) || errors.Is(err, unix.ENOPROTOOPT) {
		t.Skipf("not allowed here: %v", err)
	}
}

func TestBoolOptions(t *testing.T) {
	tests := []struct {
		name   string
		family int
		typ    int
		set    func(int, bool) error
		get    func(int) (bool, error)
	}{
		{name: "SO_REUSEADDR", family: unix.AF_INET, typ: unix.SOCK_STREAM, set: sockopt.SetReuseAddr, get: sockopt.ReuseAddr},
		{name: "SO_REUSEPORT", family: unix.AF_INET, typ: unix.SOCK_STREAM, set: sockopt.SetReusePort, get: sockopt.ReusePort},
		{name: "SO_KEEPALIVE", family: unix.AF_INET, typ: unix.SOCK_STREAM, set: sockopt.SetKeepAlive, get: sockopt.KeepAlive},
		{name: "TCP_NODELAY", family: unix.AF_INET, typ: unix.SOCK_STREAM, set: sockopt.SetNoDelay, get: sockopt.NoDelay},
		{name: "TCP_QUICKACK", family: unix.AF_INET, typ: unix.SOCK_STREAM, set: sockopt.SetQuickAck, get: sockopt.QuickAck},
		{name: "TCP_CORK", family: unix.AF_INET, typ: unix.SOCK_STREAM, set: sockopt.SetCork, get: sockopt.Cork},
		{name: "IPV6_V6ONLY", family: unix.AF_INET6, typ: unix.SOCK_STREAM, set: sockopt.SetV6Only, get: sockopt.V6Only},
		{name: "IP_MULTICAST_LOOP", family: unix.AF_INET, typ: unix.SOCK_DGRAM, set: sockopt.SetMulticastLoop4, get: sockopt.MulticastLoop4},
		{name: "IPV6_MULTICAST_LOOP", family: unix.AF_INET6, typ: unix.SOCK_DGRAM, set: sockopt.SetMulticastLoop6, get: sockopt.MulticastLoop6},
		{name: "SO_BROADCAST", family: unix.AF_INET, typ: unix.SOCK_DGRAM, set: sockopt.SetBroadcast, get: sockopt.Broadcast},
		{name: "SO_TIMESTAMP", family: unix.AF_INET, typ: unix.SOCK_DGRAM, set: sockopt.SetTimestamp, get: sockopt.Timestamp},
		{name: "SO_TIMESTAMPNS", family: unix.AF_INET, typ: unix.SOCK_DGRAM, set: sockopt.SetTimestampNS, get: sockopt.TimestampNS},
		{name: "SO_PASSCRED", family: unix.AF_UNIX, typ: unix.SOCK_DGRAM, set: sockopt.SetPassCred, get: sockopt.PassCred},
		{name: "IP_PKTINFO", family: unix.AF_INET, typ: unix.SOCK_DGRAM, set: sockopt.SetRecvPacketInfo4, get: sockopt.RecvPacketInfo4},
		{name: "IPV6_RECVPKTINFO", family: unix.AF_INET6, typ: unix.SOCK_DGRAM, set: sockopt.SetRecvPacketInfo6, get: sockopt.RecvPacketInfo6},
		{name: "IP_RECVTOS", family: unix.AF_INET, typ: unix.SOCK_DGRAM, set: sockopt.SetRecvTOS, get: sockopt.RecvTOS},
		{name: "IPV6_RECVTCLASS", family: unix.AF_INET6, typ: unix.SOCK_DGRAM, set: sockopt.SetRecvTrafficClass, get: sockopt.RecvTrafficClass},
		{name: "UDP_GRO", family: unix.AF_INET, typ: unix.SOCK_DGRAM, set: sockopt.SetUDPGRO, get: sockopt.UDPGRO},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fd := newSocket(t, tt.family, tt.typ)
			for _, want := range []bool{true, false, true} {
				if err := tt.set(fd, want); err != nil {
					t.Fatalf("set %v: %v", want, err)
				}
				got, err := tt.get(fd)
				if err != nil {
					t.Fatalf("get: %v", err)
				}
				if got != want {
					t.Fatalf("read back %v, want %v", got, want)
				}
			}
		})
	}
}

func TestIntOptions(t *testing.T) {
	tests := []struct {
		name   string
		family int
		typ    int
		value  int
		want   int // 0: the value itself
		set    func(int, int) error
		get    func(int) (int, error)
	}{
		{name: "SO_RCVBUF", family: unix.AF_INET, typ: unix.SOCK_STREAM, value: 64 << 10, want: 128 << 10, set: sockopt.SetRecvBuffer, get: sockopt.RecvBuffer},
		{name: "SO_SNDBUF", family: unix.AF_INET, typ: unix.SOCK_STREAM, value: 64 << 10, want: 128 << 10, set: sockopt.SetSendBuffer, get: sockopt.SendBuffer},
		{name: "TCP_KEEPCNT", family: unix.AF_INET, typ: unix.SOCK_STREAM, value: 7, set: sockopt.SetKeepAliveCount, get: sockopt.KeepAliveCount},
		{name: "TCP_FASTOPEN", family: unix.AF_INET, typ: unix.SOCK_STREAM, value: 16, set: sockopt.SetFastOpen, get: sockopt.FastOpen},
		{name: "TCP_NOTSENT_LOWAT", family: unix.AF_INET, typ: unix.SOCK_STREAM, value: 16384, set: sockopt.SetNotSentLowat, get: sockopt.NotSentLowat},
		{name: "IP_TOS", family: unix.AF_INET, typ: unix.SOCK_DGRAM, value: 0x10, set: sockopt.SetTOS, get: sockopt.TOS},
		{name: "IPV6_TCLASS", family: unix.AF_INET6, typ: unix.SOCK_DGRAM, value: 0x20, set: sockopt.SetTrafficClass, get: sockopt.TrafficClass},
		{name: "IP_TTL", family: unix.AF_INET, typ: unix.SOCK_DGRAM, value: 33, set: sockopt.SetTTL, get: sockopt.TTL},
		{name: "IPV6_UNICAST_HOPS", family: unix.AF_INET6, typ: unix.SOCK_DGRAM, value: 34, set: sockopt.SetHopLimit, get: sockopt.HopLimit},
		{name: "IP_MULTICAST_TTL", family: unix.AF_INET, typ: unix.SOCK_DGRAM, value: 5, set: sockopt.SetMulticastTTL4, get: sockopt.MulticastTTL4},
		{name: "IPV6_MULTICAST_HOPS", family: unix.AF_INET6, typ: unix.SOCK_DGRAM, value: 6, set: sockopt.SetMulticastHops6, get: sockopt.MulticastHops6},
		{name: "IPV6_MULTICAST_IF", family: unix.AF_INET6, typ: unix.SOCK_DGRAM, value: 1, set: sockopt.SetMulticastInterface6, get: sockopt.MulticastInterface6},
		{name: "SO_RCVLOWAT", family: unix.AF_INET, typ: unix.SOCK_STREAM, value: 100, set: sockopt.SetRecvLowat, get: sockopt.RecvLowat},
		{name: "UDP_SEGMENT", family: unix.AF_INET, typ: unix.SOCK_DGRAM, value: 1200, set: sockopt.SetUDPSegment, get: sockopt.UDPSegment},
		{name: "SO_INCOMING_CPU", family: unix.AF_INET, typ: unix.SOCK_STREAM, value: 1, set: sockopt.SetIncomingCPU, get: sockopt.IncomingCPU},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fd := newSocket(t, tt.family, tt.typ)
			if err := tt.set(fd, tt.value); err != nil {
				skipPrivileged(t, err)
				t.Fatalf("set %d: %v", tt.value, err)
			}
			got, err := tt.get(fd)
			if err != nil {
				t.Fatalf("get: %v", err)
			}
			want := tt.want
			if want == 0 {
				want = tt.value
			}
			if got != want {
				t.Fatalf("read back %d, want %d", got, want)
			}
		})
	}
}

func TestDurationOptions(t *testing.T) {
	tests := []struct {
		name  string
		value time.Duration
		want  time.Duration
		set   func(int, time.Duration) error
		get   func(int) (time.Duration, error)
	}{
		{name: "TCP_KEEPIDLE", value: 30 * time.Second, want: 30 * time.Second, set: sockopt.SetKeepAliveIdle, get: sockopt.KeepAliveIdle},
		{name: "TCP_KEEPIDLE rounds up", value: 1500 * time.Millisecond, want: 2 * time.Second, set: sockopt.SetKeepAliveIdle, get: sockopt.KeepAliveIdle},
		{name: "TCP_KEEPINTVL", value: 5 * time.Second, want: 5 * time.Second, set: sockopt.SetKeepAliveInterval, get: sockopt.KeepAliveInterval},
		{name: "TCP_USER_TIMEOUT", value: 2500 * time.Millisecond, want: 2500 * time.Millisecond, set: sockopt.SetUserTimeout, get: sockopt.UserTimeout},
		// The kernel keeps a count of SYN-ACK retransmissions (1 s, then
		// doubling) and reads back the end of the step the value fell in.
		{name: "TCP_DEFER_ACCEPT", value: 3 * time.Second, want: 3 * time.Second, set: sockopt.SetDeferAccept, get: sockopt.DeferAccept},
		{name: "TCP_DEFER_ACCEPT rounds to a retransmission", value: 5 * time.Second, want: 7 * time.Second, set: sockopt.SetDeferAccept, get: sockopt.DeferAccept},
		{name: "SO_RCVTIMEO", value: 1500 * time.Millisecond, want: 1500 * time.Millisecond, set: sockopt.SetRecvTimeout, get: sockopt.RecvTimeout},
		{name: "SO_SNDTIMEO", value: 2 * time.Second, want: 2 * time.Second, set: sockopt.SetSendTimeout, get: sockopt.SendTimeout},
		{name: "SO_BUSY_POLL", value: 50 * time.Microsecond, want: 50 * time.Microsecond, set: sockopt.SetBusyPoll, get: sockopt.BusyPoll},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fd := newSocket(t, unix.AF_INET, unix.SOCK_STREAM)
			if err := tt.set(fd, tt.value); err != nil {
				skipPrivileged(t, err)
				t.Fatalf("set %v: %v", tt.value, err)
			}
			got, err := tt.get(fd)
			if err != nil {
				t.Fatalf("get: %v", err)
			}
			if got != tt.want {
				t.Fatalf("read back %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLinger(t *testing.T) {
	fd := newSocket(t, unix.AF_INET, unix.SOCK_STREAM)
	if err := sockopt.SetLinger(fd, true, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	on, d, err := sockopt.Linger(fd)
	if err != nil || !on || d != 3*time.Second {
		t.Fatalf("Linger = %v, %v, %v; want true, 3s, nil", on, d, err)
	}
	if err := sockopt.SetLinger(fd, false, 0); err != nil {
		t.Fatal(err)
	}
	if on, _, err := sockopt.Linger(fd); err != nil || on {
		t.Fatalf("Linger after off = %v, %v", on, err)
	}
}

func TestCongestion(t *testing.T) {
	fd := newSocket(t, unix.AF_INET, unix.SOCK_STREAM)
	if err := sockopt.SetCongestion(fd, "reno"); err != nil {
		skipPrivileged(t, err)
		t.Fatal(err)
	}
	got, err := sockopt.Congestion(fd)
	if err != nil || got != "reno" {
		t.Fatalf("Congestion = %q, %v; want reno", got, err)
	}
	err = sockopt.SetCongestion(fd, "no-such-algorithm")
	if !errors.Is(err, unix.ENOENT) {
		t.Fatalf("unknown algorithm: %v, want ENOENT", err)
	}
}

func TestBindToDevice(t *testing.T) {
	fd := newSocket(t, unix.AF_INET, unix.SOCK_DGRAM)
	if err := sockopt.SetBindToDevice(fd, "lo"); err != nil {
		skipPrivileged(t, err)
		t.Fatal(err)
	}
	if got, err := sockopt.BindToDevice(fd); err != nil || got != "lo" {
		t.Fatalf("BindToDevice = %q, %v; want lo", got, err)
	}
	if err := sockopt.SetBindToDevice(fd, ""); err != nil {
		t.Fatal(err)
	}
	if got, err := sockopt.BindToDevice(fd); err != nil || got != "" {
		t.Fatalf("BindToDevice after unbinding = %q, %v", got, err)
	}
}

func TestMark(t *testing.T) {
	fd := newSocket(t, unix.AF_INET, unix.SOCK_STREAM)
	if err := sockopt.SetMark(fd, 0xfeedf00d); err != nil {
		skipPrivileged(t, err)
		t.Fatal(err)
	}
	if got, err := sockopt.Mark(fd); err != nil || got != 0xfeedf00d {
		t.Fatalf("Mark = %#x, %v", got, err)
	}
}
