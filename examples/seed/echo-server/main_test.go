//go:build unix

package main

import (
	"errors"
	"net"
	"testing"
)

func TestEchoServer(t *testing.T) {
	l, err := listen("localhost:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- serve(l) }()
	addr := l.LocalAddr().String()
	for range 3 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		msg := []byte("Hello, world")
		if _, err := c.Write(msg); err != nil {
			t.Fatal(err)
		}
		got := make([]byte, len(msg))
		if _, err := c.Read(got); err != nil || string(got) != string(msg) {
			t.Fatalf("echo = %q, %v", got, err)
		}
		c.Close()
	}
	l.Close()
	if err := <-done; !errors.Is(err, net.ErrClosed) {
		t.Errorf("serve after Close: %v", err)
	}
	if _, err := listen("256.0.0.1:0"); err == nil {
		t.Error("listen on a bad host succeeded")
	}
}
