//go:build unix

package conn

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

func TestTCPEcho(t *testing.T) {
	c1, c2 := tcpPair(t)
	if _, err := c1.SendAll([]byte("Hello, world")); err != nil {
		t.Fatal(err)
	}
	data, err := c2.Recv(1024)
	must(t, err)
	if string(data) != "Hello, world" {
		t.Fatalf("Recv = %q", data)
	}
	must(t, c1.Shutdown(SHUT_WR))
	data, err = c2.Recv(1024)
	if err != nil || len(data) != 0 {
		t.Fatalf("Recv after SHUT_WR = %q, %v; want empty, nil", data, err)
	}
	if _, err := c2.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("Read after SHUT_WR: %v, want io.EOF", err)
	}
	peer, err := c1.PeerName()
	must(t, err)
	local, err := c2.SockName()
	must(t, err)
	if peer != local {
		t.Errorf("PeerName %v != accepted SockName %v", peer, local)
	}
	if _, ok := c1.LocalAddr().(*net.TCPAddr); !ok {
		t.Errorf("LocalAddr is %T, want *net.TCPAddr", c1.LocalAddr())
	}
}

func TestUDPRecvFrom(t *testing.T) {
	a := mustOpen(t, AF_INET, SOCK_DGRAM, 0)
	b := mustOpen(t, AF_INET, SOCK_DGRAM, 0)
	must(t, a.Bind(Inet4("127.0.0.1", 0)))
	must(t, b.Bind(Inet4Addr{IP: netip.MustParseAddr("127.0.0.1")}))
	aAddr, _ := a.SockName()
	bAddr, _ := b.SockName()
	if n, err := b.SendTo([]byte("ping"), aAddr); err != nil || n != 4 {
		t.Fatalf("SendTo = %d, %v", n, err)
	}
	data, from, err := a.RecvFrom(100)
	must(t, err)
	if string(data) != "ping" || from != bAddr {
		t.Fatalf("RecvFrom = %q from %v, want ping from %v", data, from, bAddr)
	}
	// The same through net.PacketConn, with a peer from package net.
	peer, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	must(t, err)
	defer peer.Close()
	pc := &PacketConn{a}
	if _, err := pc.WriteTo([]byte("pong"), peer.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 10)
	n, src, err := peer.ReadFrom(buf)
	must(t, err)
	if string(buf[:n]) != "pong" || src.String() != aAddr.String() {
		t.Errorf("peer got %q from %v", buf[:n], src)
	}
	if _, err := peer.WriteTo([]byte("back"), src); err != nil {
		t.Fatal(err)
	}
	n, from2, err := pc.ReadFrom(buf)
	must(t, err)
	if string(buf[:n]) != "back" || from2.String() != peer.LocalAddr().String() {
		t.Errorf("ReadFrom = %q from %v", buf[:n], from2)
	}
}

// TestRecvMsgInto is the seed's recvmsg_into example.
func TestRecvMsgInto(t *testing.T) {
	a, b := mustPair(t, AF_UNIX, SOCK_STREAM)
	if _, err := a.SendAll([]byte("Mary had a little lamb")); err != nil {
		t.Fatal(err)
	}
	b1 := []byte("----")
	b2 := []byte("0123456789")
	b3 := []byte("--------------")
	n, oobn, flags, _, err := b.RecvMsgInto([][]byte{b1, b2[2:9], nil, b3}, nil)
	must(t, err)
	if n != 22 || oobn != 0 || flags != 0 {
		t.Errorf("RecvMsgInto = %d, %d, %v; want 22, 0, 0", n, oobn, flags)
	}
	for _, c := range []struct{ got, want string }{
		{string(b1), "Mary"}, {string(b2), "01 had a 9"}, {string(b3), "little lamb---"},
	} {
		if c.got != c.want {
			t.Errorf("buffer %q, want %q", c.got, c.want)
		}
	}
}

func TestSendMsgIovecs(t *testing.T) {
	a, b := mustPair(t, AF_UNIX, SOCK_STREAM)
	one := make([][]byte, 1025)
	for i := range one {
		one[i] = []byte{byte('a' + i%26)}
	}
	tests := []struct {
		name    string
		bufs    [][]byte
		want    int
		wantErr error
	}{
		{name: "none", bufs: nil, want: 0},
		{name: "empty", bufs: [][]byte{{}}, want: 0},
		{name: "1024", bufs: one[:1024], want: 1024},
		{name: "1025", bufs: one, wantErr: unix.EMSGSIZE},
	}
	for _, tt := range tests {
		n, err := a.SendMsg(tt.bufs, nil, nil)
		if n != tt.want || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
			t.Errorf("%s: SendMsg = %d, %v; want %d, %v", tt.name, n, err, tt.want, tt.wantErr)
		}
	}
	got := make([]byte, 2048)
	n, err := io.ReadFull(b, got[:1024])
	must(t, err)
	if !bytes.Equal(got[:n], bytes.Join(one[:1024], nil)) {
		t.Error("gathered bytes differ")
	}
}

func TestSendFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	must(t, os.WriteFile(path, []byte("0123456789abcdefghij"), 0o600))
	f, err := os.Open(path)
	must(t, err)
	defer f.Close()
	tests := []struct {
		name          string
		pair          func() (*Socket, *Socket)
		offset, count int64
		want          string
	}{
		{name: "stream", pair: func() (*Socket, *Socket) { return tcpPair(t) }, offset: 3, count: 10, want: "3456789abc"},
		{name: "stream to end", pair: func() (*Socket, *Socket) { return mustPair(t, AF_UNIX, SOCK_STREAM) }, offset: 15, want: "fghij"},
		{name: "datagram falls back", pair: func() (*Socket, *Socket) { return mustPair(t, AF_UNIX, SOCK_DGRAM) }, offset: 0, count: 4, want: "0123"},
	}
	for _, tt := range tests {
		a, b := tt.pair()
		n, err := a.SendFile(f, tt.offset, tt.count)
		if err != nil || n != int64(len(tt.want)) {
			t.Fatalf("%s: SendFile = %d, %v", tt.name, n, err)
		}
		got := make([]byte, len(tt.want))
		_, err = io.ReadFull(b, got)
		must(t, err)
		if string(got) != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
		if pos, _ := f.Seek(0, io.SeekCurrent); pos != tt.offset+n {
			t.Errorf("%s: file offset %d, want %d", tt.name, pos, tt.offset+n)
		}
	}
	// io.ReaderFrom takes the file from its current offset.
	a, b := mustPair(t, AF_UNIX, SOCK_STREAM)
	f.Seek(18, io.SeekStart)
	if n, err := a.ReadFrom(f); n != 2 || err != nil {
		t.Fatalf("ReadFrom = %d, %v", n, err)
	}
	got, err := b.Recv(10)
	must(t, err)
	if string(got) != "ij" {
		t.Errorf("ReadFrom sent %q", got)
	}
}

func TestDetachDupFromFD(t *testing.T) {
	a, b := mustPair(t, AF_UNIX, SOCK_STREAM)
	d, err := a.Dup()
	must(t, err)
	defer d.Close()
	if d.Family() != AF_UNIX || d.Type() != SOCK_STREAM || d.Fileno() == a.Fileno() {
		t.Errorf("Dup: %v", d)
	}
	fd, err := b.Detach()
	must(t, err)
	if b.Fileno() != -1 {
		t.Error("Detach left the socket open")
	}
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	must(t, err)
	if fl&unix.O_NONBLOCK != 0 {
		t.Error("detached blocking socket has O_NONBLOCK")
	}
	s, err := FromFD(fd, 0, 0, 0)
	must(t, err)
	defer s.Close()
	if s.Family() != AF_UNIX || s.Type() != SOCK_STREAM {
		t.Errorf("FromFD detected %v %v", s.Family(), s.Type())
	}
	c, err := DupFD(s.Fileno(), 0, 0, 0)
	must(t, err)
	defer c.Close()
	if _, err := d.SendAll([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Recv(1); err != nil || string(got) != "x" {
		t.Errorf("Recv through DupFD copy = %q, %v", got, err)
	}
	// A descriptor that is not a socket is refused and left to the caller.
	var p [2]int
	must(t, unix.Pipe(p[:]))
	defer unix.Close(p[0])
	defer unix.Close(p[1])
	if _, err := FromFD(p[0], 0, 0, 0); !errors.Is(err, unix.ENOTSOCK) {
		t.Errorf("FromFD(pipe): %v, want ENOTSOCK", err)
	}
	if _, err := unix.FcntlInt(uintptr(p[0]), unix.F_GETFD, 0); err != nil {
		t.Errorf("FromFD closed the pipe: %v", err)
	}
	tcp := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	must(t, tcp.SetBlocking(false))
	fd2, err := tcp.Detach()
	must(t, err)
	defer unix.Close(fd2)
	if fl, _ := unix.FcntlInt(uintptr(fd2), unix.F_GETFL, 0); fl&unix.O_NONBLOCK == 0 {
		t.Error("detached non-blocking socket lacks O_NONBLOCK")
	}
}

func TestBadInput(t *testing.T) {
	s4 := mustOpen(t, AF_INET, SOCK_DGRAM, 0)
	limit := int64(maxBufsize)
	huge := int(limit + 1) // wraps negative where int has 32 bits: refused too
	tests := []struct {
		name string
		call func() error
	}{
		{name: "inet6 address on inet socket", call: func() error { return s4.Bind(Inet6Addr{IP: netip.IPv6Loopback()}) }},
		{name: "port out of range", call: func() error { return s4.Bind(Inet4("127.0.0.1", 70000)) }},
		{name: "ipv6 literal for inet", call: func() error { return s4.Bind(Inet4Addr{IP: netip.IPv6Loopback()}) }},
		{name: "nil address", call: func() error { return s4.Connect(nil) }},
		{name: "negative recv", call: func() error { _, err := s4.Recv(-1); return err }},
		{name: "huge recv", call: func() error { _, err := s4.Recv(huge); return err }},
		{name: "huge recvfrom", call: func() error { _, _, err := s4.RecvFrom(huge); return err }},
		{name: "huge recvmsg", call: func() error { _, _, _, _, err := s4.RecvMsg(huge, 0); return err }},
		{name: "nil file", call: func() error { _, err := s4.SendFile(nil, 0, 0); return err }},
		{name: "negative sendfile offset", call: func() error { _, err := s4.SendFile(os.Stdin, -1, 0); return err }},
		{name: "bad timeout", call: func() error { return s4.SetTimeout(-2) }},
		{name: "bad host family", call: func() error { return s4.Bind(HostAddr{Fam: AF_UNIX, Host: "x"}) }},
		{name: "inet_pton family", call: func() error { _, err := InetPton(AF_UNIX, "1.2.3.4"); return err }},
		{name: "negative recvmsg", call: func() error { _, _, _, _, err := s4.RecvMsg(1, -1); return err }},
		{name: "sockopt buflen", call: func() error { _, err := s4.GetSockoptBytes(SO_TYPE, 0); return err }},
		{name: "negative fd", call: func() error { _, err := FromFD(-1, 0, 0, 0); return err }},
		{name: "two backlogs", call: func() error { return s4.Listen(1, 2) }},
		{name: "unix path too long", call: func() error { return s4.Bind(UnixAddr{Path: string(make([]byte, 200))}) }},
	}
	for _, tt := range tests {
		if err := tt.call(); err == nil {
			t.Errorf("%s: no error", tt.name)
		} else if !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.EAFNOSUPPORT) {
			t.Errorf("%s: %v matches neither EINVAL nor EAFNOSUPPORT", tt.name, err)
		}
	}
}

func TestSockopt(t *testing.T) {
	s := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	must(t, s.SetSockopt(SO_REUSEADDR, 1))
	if v, err := s.GetSockopt(SO_REUSEADDR); err != nil || v == 0 {
		t.Errorf("SO_REUSEADDR = %d, %v", v, err)
	}
	b, err := s.GetSockoptBytes(SO_TYPE, 4)
	must(t, err)
	if len(b) != 4 || b[0] != byte(unix.SOCK_STREAM) {
		t.Errorf("SO_TYPE bytes = %v", b)
	}
	must(t, s.SetSockoptBytes(RawOpt{unix.SOL_SOCKET, unix.SO_KEEPALIVE}, []byte{1, 0, 0, 0}))
	if v, _ := s.GetSockopt(SO_KEEPALIVE); v != 1 {
		t.Errorf("SO_KEEPALIVE = %d after bytes set", v)
	}
}

// TestSockoptErrorLayers checks that option calls, now made through
// package sockopt, fail with the usual layers: an *OpError around an
// *os.SyscallError naming the call, matching the errno.
func TestSockoptErrorLayers(t *testing.T) {
	s := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	bogus := RawOpt{unix.SOL_SOCKET, 0x7fff}
	for _, tt := range []struct {
		name string
		call string
		err  error
	}{
		{name: "get", call: "getsockopt", err: func() error { _, err := s.GetSockopt(bogus); return err }()},
		{name: "get bytes", call: "getsockopt", err: func() error { _, err := s.GetSockoptBytes(bogus, 8); return err }()},
		{name: "set", call: "setsockopt", err: s.SetSockopt(bogus, 1)},
		{name: "set bytes", call: "setsockopt", err: s.SetSockoptBytes(bogus, []byte{1, 0, 0, 0})},
	} {
		var op *OpError
		var se *os.SyscallError
		if !errors.As(tt.err, &op) || !errors.As(op.Err, &se) || se.Syscall != tt.call || op.Err != error(se) ||
			!errors.Is(tt.err, unix.ENOPROTOOPT) {
			t.Errorf("%s: %v (%T); want *OpError{*os.SyscallError(%s, ENOPROTOOPT)}", tt.name, tt.err, tt.err, tt.call)
		}
	}
}
