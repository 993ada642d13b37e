//go:build unix

package main

import (
	"bytes"
	"testing"

	"github.com/sockloop/sockloop/conn"
)

func TestEchoClient(t *testing.T) {
	l, err := conn.CreateServer(t.Context(), "127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, _, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		data, _ := c.Recv(1024)
		c.SendAll(data)
	}()
	var out bytes.Buffer
	if err := run(l.LocalAddr().String(), &out); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "Received b'Hello, world'\n"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
}

func TestPyBytes(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{in: "Hello, world", want: `b'Hello, world'`},
		{in: "it's", want: `b"it's"`},
		{in: "a\x00\n\\\xff", want: `b'a\x00\n\\\xff'`},
		{in: `'"`, want: `b'\'"'`},
	}
	for _, tt := range tests {
		if got := pyBytes([]byte(tt.in)); got != tt.want {
			t.Errorf("pyBytes(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
