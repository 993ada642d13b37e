//go:build unix

package loop

import (
	"net"
	"syscall"
	"testing"
)

func TestAdoptRejectsDatagramSocket(t *testing.T) {
	e, _ := startEngine(t, BaseHandler{}, nil)
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fds[0])
	defer syscall.Close(fds[1])
	if _, err := e.Adopt(fds[0], nil); err == nil {
		t.Fatal("Adopt of a datagram socket succeeded")
	}
}

func TestAdoptConn(t *testing.T) {
	h := newEchoHandler()
	e, _ := startEngine(t, h, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client := dial(t, ln.Addr())
	server, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.AdoptConn(server, nil); err != nil {
		t.Fatal(err)
	}
	// The engine now serves the accepted side: it echoes.
	if err := echoRoundTrip(client, 5, 300<<10); err != nil {
		t.Fatal(err)
	}
	client.Close()
	if err := waitClose(t, h.closes); err != nil {
		t.Fatalf("OnClose err = %v, want nil", err)
	}
}
