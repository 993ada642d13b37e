package conn

import (
	"bytes"
	"net/netip"
	"testing"
	"time"

	"github.com/sockloop/sockloop/ancillary"
	"github.com/sockloop/sockloop/sockopt"
)

// TestPacketInfo receives a datagram's local address on 127.0.0.1 and ::1
// with packet info set and answers from it with AppendSource.
func TestPacketInfo(t *testing.T) {
	tests := []struct {
		name   string
		family Family
		host   string
		opt    Opt
	}{
		{name: "ipv4", family: AF_INET, host: "127.0.0.1", opt: IP_PKTINFO},
		{name: "ipv6", family: AF_INET6, host: "::1", opt: IPV6_RECVPKTINFO},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.family == AF_INET6 && !HasIPv6() {
				t.Skip("no IPv6")
			}
			srv := mustOpen(t, tt.family, SOCK_DGRAM, 0)
			must(t, srv.SetSockopt(tt.opt, 1))
			wild := "0.0.0.0"
			if tt.family == AF_INET6 {
				wild = "::"
			}
			must(t, srv.Bind(HostAddr{Fam: tt.family, Host: wild}))
			sa, err := srv.SockName()
			must(t, err)
			port := portOf(sa)
			cli := mustOpen(t, tt.family, SOCK_DGRAM, 0)
			dst := HostAddr{Fam: tt.family, Host: tt.host, Port: port}
			if _, err := cli.SendTo([]byte("ping"), dst); err != nil {
				t.Fatal(err)
			}
			buf, oob := make([]byte, 16), make([]byte, 128)
			n, oobn, _, from, err := srv.RecvMsgInto([][]byte{buf}, oob)
			must(t, err)
			local, ifindex, err := ancillary.ReceivedOn(oob[:oobn])
			must(t, err)
			if string(buf[:n]) != "ping" || local != netip.MustParseAddr(tt.host) || ifindex == 0 {
				t.Fatalf("got %q on %v if %d from %v", buf[:n], local, ifindex, from)
			}
			reply, err := ancillary.AppendSource(nil, local, ifindex)
			must(t, err)
			if _, err := srv.SendMsg([][]byte{[]byte("pong")}, reply, from); err != nil {
				t.Fatal(err)
			}
			got, src, err := cli.RecvFrom(16)
			must(t, err)
			if string(got) != "pong" || portOf(src) != port {
				t.Errorf("reply %q from %v", got, src)
			}
		})
	}
}

func portOf(a Addr) int {
	switch a := a.(type) {
	case Inet4Addr:
		return a.Port
	case Inet6Addr:
		return a.Port
	}
	return -1
}

// TestTimestamps receives SO_TIMESTAMP and SO_TIMESTAMPNS times that lie
// between the moments before the send and after the receive.
func TestTimestamps(t *testing.T) {
	tests := []struct {
		name string
		set  func(fd int, on bool) error
	}{
		{name: "SO_TIMESTAMP", set: sockopt.SetTimestamp},
		{name: "SO_TIMESTAMPNS", set: sockopt.SetTimestampNS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := mustPair(t, AF_UNIX, SOCK_DGRAM)
			must(t, tt.set(b.Fileno(), true))
			start := time.Now().Add(-time.Microsecond) // SO_TIMESTAMP has µs resolution
			_, err := a.Send([]byte("t"))
			must(t, err)
			buf, oob := make([]byte, 4), make([]byte, 64)
			_, oobn, _, _, err := b.RecvMsgInto([][]byte{buf}, oob)
			must(t, err)
			end := time.Now()
			var ts time.Time
			for m, err := range ancillary.Messages(oob[:oobn]) {
				must(t, err)
				if ts, err = m.Timestamp(); err != nil {
					t.Fatal(err)
				}
			}
			if ts.Before(start) || ts.After(end) {
				t.Errorf("timestamp %v not in [%v, %v]", ts, start, end)
			}
		})
	}
}

// TestRecvMsgIntoAddrs checks the sender's address decoded from recvmsg's
// own buffer: Unix paths, abstract and unnamed senders, and UDP.
func TestRecvMsgIntoAddrs(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		from Addr // nil: unnamed
		want Addr
	}{
		{name: "path", from: UnixAddr{Path: dir + "/s"}, want: UnixAddr{Path: dir + "/s"}},
		{name: "abstract", from: UnixAddr{Path: "sockloop-test-" + dir[len(dir)-8:], Abstract: true}},
		{name: "unnamed"}, // recvmsg reports no address, as Python says None
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rcv := mustOpen(t, AF_UNIX, SOCK_DGRAM, 0)
			must(t, rcv.Bind(UnixAddr{Path: dir + "/r-" + tt.name}))
			snd := mustOpen(t, AF_UNIX, SOCK_DGRAM, 0)
			want := tt.want
			if tt.from != nil {
				must(t, snd.Bind(tt.from))
				if want == nil {
					want = tt.from
				}
			}
			_, err := snd.SendMsg([][]byte{[]byte("x")}, nil, UnixAddr{Path: dir + "/r-" + tt.name})
			must(t, err)
			buf := make([]byte, 4)
			_, _, _, from, err := rcv.RecvMsgInto([][]byte{buf}, nil)
			must(t, err)
			if from != want {
				t.Errorf("sender %#v, want %#v", from, want)
			}
		})
	}
}

// TestMsgConcurrent runs SendMsg and RecvMsgInto from several goroutines
// at once on one datagram pair: the per-direction scratch must keep every
// datagram whole.
func TestMsgConcurrent(t *testing.T) {
	a, b := mustPair(t, AF_UNIX, SOCK_DGRAM)
	const senders, each = 4, 200
	done := make(chan error, 2*senders)
	for i := range senders {
		go func() {
			p := bytes.Repeat([]byte{byte('a' + i)}, 8+i)
			for range each {
				if _, err := a.SendMsg([][]byte{p[:4], p[4:]}, nil, nil); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
		go func() {
			h, tl := make([]byte, 4), make([]byte, 32)
			for range each {
				n, _, _, _, err := b.RecvMsgInto([][]byte{h, tl}, nil)
				if err != nil {
					done <- err
					return
				}
				got := append(append([]byte(nil), h...), tl[:n-4]...)
				if n-8 < 0 || n-8 >= senders || !bytes.Equal(got, bytes.Repeat(got[:1], n)) || int(got[0]-'a') != n-8 {
					done <- errBadDatagram(got)
					return
				}
			}
			done <- nil
		}()
	}
	for range 2 * senders {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

type errBadDatagram []byte

func (e errBadDatagram) Error() string { return "torn datagram " + string(e) }

// TestUDPSegment sends one buffer with a UDP_SEGMENT message (generic
// segmentation offload) and receives it as datagrams of the segment size.
func TestUDPSegment(t *testing.T) {
	x := mustOpen(t, AF_INET, SOCK_DGRAM, 0)
	y := mustOpen(t, AF_INET, SOCK_DGRAM, 0)
	must(t, y.Bind(Inet4("127.0.0.1", 0)))
	to, err := y.SockName()
	must(t, err)
	payload := bytes.Repeat([]byte("0123456789"), 250) // 2500 bytes: 1000 + 1000 + 500
	if _, err := x.SendMsg([][]byte{payload}, ancillary.AppendUDPSegment(nil, 1000), to); err != nil {
		t.Skipf("kernel refuses UDP_SEGMENT: %v", err)
	}
	buf := make([]byte, 4096)
	for i, want := range []int{1000, 1000, 500} {
		n, _, _, _, err := y.RecvMsgInto([][]byte{buf}, nil)
		must(t, err)
		if n != want || !bytes.Equal(buf[:n], payload[i*1000:i*1000+n]) {
			t.Fatalf("datagram %d: %d bytes, want %d of the payload", i, n, want)
		}
	}
}
