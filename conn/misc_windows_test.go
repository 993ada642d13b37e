package conn

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/sys/windows"
)

func TestSockoptWindows(t *testing.T) {
	s := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	if v, err := s.GetSockopt(SO_TYPE); err != nil || Type(v) != SOCK_STREAM {
		t.Fatalf("SO_TYPE = %d, %v", v, err)
	}
	must(t, s.SetSockopt(SO_REUSEADDR, 1))
	if v, err := s.GetSockopt(SO_REUSEADDR); err != nil || v == 0 {
		t.Fatalf("SO_REUSEADDR = %d, %v", v, err)
	}
	must(t, s.SetSockopt(TCP_NODELAY, 1))
	if v, err := s.GetSockopt(TCP_NODELAY); err != nil || v != 1 {
		t.Fatalf("TCP_NODELAY = %d, %v", v, err)
	}
	b, err := s.GetSockoptBytes(SO_RCVBUF, 4)
	if err != nil || len(b) != 4 {
		t.Fatalf("SO_RCVBUF bytes = %v, %v", b, err)
	}
	if err := s.SetSockopt(nil, 1); !errors.Is(err, windows.WSAEINVAL) {
		t.Fatalf("nil option = %v", err)
	}
	if err := s.SetSockopt(RawOpt{Lvl: 0xffff, Num: 0x7777}, 1); !errors.Is(err, windows.WSAENOPROTOOPT) {
		t.Fatalf("unknown option = %v, want WSAENOPROTOOPT", err)
	}
}

func TestMessagesUnsupported(t *testing.T) {
	a, _ := tcpPair(t)
	errs := map[string]error{}
	_, _, _, _, errs["recvmsg"] = a.RecvMsg(10, 10)
	_, _, _, _, errs["recvmsg_into"] = a.RecvMsgInto([][]byte{make([]byte, 4)}, nil)
	_, errs["sendmsg"] = a.SendMsg([][]byte{[]byte("x")}, nil, nil)
	_, errs["send_fds"] = a.SendFDs([][]byte{[]byte("x")}, []int{1}, nil)
	_, _, _, _, errs["recv_fds"] = a.RecvFDs(10, 1)
	for op, err := range errs {
		var ue *UnsupportedError
		if !errors.Is(err, errors.ErrUnsupported) || !errors.As(err, &ue) || ue.Op != op {
			t.Errorf("%s = %v, want an *UnsupportedError for %s", op, err, op)
		}
	}
}

func TestBadInputWindows(t *testing.T) {
	s := mustOpen(t, AF_INET, SOCK_DGRAM, 0)
	tests := []struct {
		name string
		call func() error
	}{
		{name: "negative recv", call: func() error { _, err := s.Recv(-1); return err }},
		{name: "nil address", call: func() error { return s.Connect(nil) }},
		{name: "port out of range", call: func() error { return s.Bind(Inet4("127.0.0.1", 70000)) }},
		{name: "negative share pid", call: func() error { _, err := s.Share(-1); return err }},
		{name: "short share data", call: func() error { _, err := FromShare([]byte{1}); return err }},
		{name: "two backlogs", call: func() error { return s.Listen(1, 2) }},
		{name: "bad timeout", call: func() error { return s.SetTimeout(-2) }},
		{name: "option out of range", call: func() error { return s.SetSockopt(SO_RCVBUF, 1<<40) }},
	}
	for _, tt := range tests {
		if err := tt.call(); !errors.Is(err, windows.WSAEINVAL) {
			t.Errorf("%s: %v, want an error matching WSAEINVAL", tt.name, err)
		}
	}
}

func TestCreateServerAndConnection(t *testing.T) {
	ctx := context.Background()
	l, err := CreateServer(ctx, "127.0.0.1:0", false)
	must(t, err)
	defer l.Close()
	addr := l.LocalAddr().String()
	done := echoServer(t, l)
	c, err := CreateConnection(ctx, addr, NoTimeout, nil)
	must(t, err)
	defer c.Close()
	must(t, sendAll(c, "create"))
	if got, err := c.Recv(6); err != nil || string(got) != "create" {
		t.Fatalf("Recv = %q, %v", got, err)
	}
	must(t, c.Shutdown(SHUT_WR))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
