//go:build unix

package conn

import (
	"net"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// BenchmarkPingPong sends 64 bytes each way over a socketpair, with the
// socket object and, for comparison, with net.Conn from package net.
func BenchmarkPingPong(b *testing.B) {
	b.Run("conn", func(b *testing.B) {
		x, y := mustPair(b, AF_UNIX, SOCK_STREAM)
		pingPong(b, x, y)
	})
	b.Run("net", func(b *testing.B) {
		fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
		must(b, err)
		conns := make([]net.Conn, 2)
		for i, fd := range fds {
			f := os.NewFile(uintptr(fd), "pair")
			conns[i], err = net.FileConn(f)
			f.Close()
			must(b, err)
		}
		defer conns[0].Close()
		defer conns[1].Close()
		pingPong(b, conns[0], conns[1])
	})
}

func pingPong(b *testing.B, x, y net.Conn) {
	msg := make([]byte, 64)
	buf := make([]byte, 64)
	b.ReportAllocs()
	b.SetBytes(128)
	for b.Loop() {
		if _, err := x.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := y.Read(buf); err != nil {
			b.Fatal(err)
		}
		if _, err := y.Write(buf); err != nil {
			b.Fatal(err)
		}
		if _, err := x.Read(buf); err != nil {
			b.Fatal(err)
		}
	}
}
