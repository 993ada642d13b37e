// Package echo is the Wine setup's own check, run by scripts/wine-test.sh
// before the project's packages: a Go TCP echo over loopback through package
// net, which exercises the runtime's random source (ProcessPrng), Winsock and
// the runtime's own completion port.
package echo

import (
	"io"
	"net"
	"testing"
	"time"
)

func TestTCPEcho(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.Copy(c, c)
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	want := "hello through wine"
	if _, err := io.WriteString(c, want); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(want))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("echo = %q, want %q", got, want)
	}
}
