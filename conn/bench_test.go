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

// BenchmarkMsg measures one SendMsg and one RecvMsgInto of three buffers
// (64 bytes in all): over a Unix stream pair, over a Unix stream pair with
// one descriptor passed each time, and over UDP on 127.0.0.1 with the
// destination and the sender's address.
func BenchmarkMsg(b *testing.B) {
	out := [][]byte{make([]byte, 16), make([]byte, 16), make([]byte, 32)}
	in := [][]byte{make([]byte, 16), make([]byte, 16), make([]byte, 64)}
	b.Run("unix", func(b *testing.B) {
		x, y := mustPair(b, AF_UNIX, SOCK_STREAM)
		b.ReportAllocs()
		for b.Loop() {
			x.SendMsg(out, nil, nil)
			y.RecvMsgInto(in, nil)
		}
	})
	b.Run("unix+fd", func(b *testing.B) {
		x, y := mustPair(b, AF_UNIX, SOCK_DGRAM)
		oob, err := appendRightsForBench(x.Fileno())
		must(b, err)
		roob := make([]byte, 64)
		b.ReportAllocs()
		for b.Loop() {
			x.SendMsg(out, oob, nil)
			_, oobn, _, _, _ := y.RecvMsgInto(in, roob)
			closeRightsForBench(roob[:oobn])
		}
	})
	b.Run("udp", func(b *testing.B) {
		x := mustOpen(b, AF_INET, SOCK_DGRAM, 0)
		y := mustOpen(b, AF_INET, SOCK_DGRAM, 0)
		must(b, y.Bind(Inet4("127.0.0.1", 0)))
		to, err := y.SockName()
		must(b, err)
		b.ReportAllocs()
		for b.Loop() {
			x.SendMsg(out, nil, to)
			y.RecvMsgInto(in, nil)
		}
	})
}
