//go:build linux

package conn

import (
	"context"
	"net"
	"testing"
)

// The benchmarks here mirror bench/socket_linux_test.go: 64-byte messages
// over a connected loopback TCP socket, received with the socket object
// and with net.Conn.Read, so the socket's cost per call can be measured
// inside this package.

const benchMsg = 64

// benchConn is one side of the comparison: a read of p and a write of p.
type benchConn interface {
	Read(p []byte) (int, error)
	Write(p []byte) (int, error)
	Close() error
}

// scatterConn reads with RecvMsgInto into 16 + 16 + 32 bytes of p (which
// must hold 64) and writes with SendMsg from the same three parts.
type scatterConn struct {
	*Socket
	parts [3][]byte
}

func (c *scatterConn) Read(p []byte) (int, error) {
	if len(p) < benchMsg { // the rest of a short read
		c.parts[0] = p
		n, _, _, _, err := c.RecvMsgInto(c.parts[:1], nil)
		return n, err
	}
	c.parts = [3][]byte{p[:16:16], p[16:32:32], p[32:64]}
	n, _, _, _, err := c.RecvMsgInto(c.parts[:], nil)
	return n, err
}

func (c *scatterConn) Write(p []byte) (int, error) {
	c.parts = [3][]byte{p[:16:16], p[16:32:32], p[32:64]}
	return c.SendMsg(c.parts[:], nil, nil)
}

// benchKinds are the sides compared, each over loopback TCP with a
// net.Conn as the peer.
var benchKinds = []struct {
	name string
	open func(b *testing.B) (benchConn, net.Conn)
}{
	{"socket", func(b *testing.B) (benchConn, net.Conn) { s, p := openTCPSocket(b); return s, p }},
	{"socket-msg", func(b *testing.B) (benchConn, net.Conn) { s, p := openTCPSocket(b); return &scatterConn{Socket: s}, p }},
	{"net", openTCPNet},
}

func openTCPSocket(b *testing.B) (*Socket, net.Conn) {
	ln, err := CreateServer(context.Background(), "127.0.0.1:0", false)
	must(b, err)
	defer ln.Close()
	peer, err := net.Dial("tcp", ln.LocalAddr().String())
	must(b, err)
	s, _, err := ln.Accept()
	must(b, err)
	// As package net does for the connections it accepts.
	must(b, s.SetSockopt(TCP_NODELAY, 1))
	return s, peer
}

func openTCPNet(b *testing.B) (benchConn, net.Conn) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(b, err)
	defer ln.Close()
	peer, err := net.Dial("tcp", ln.Addr().String())
	must(b, err)
	c, err := ln.Accept()
	must(b, err)
	return c, peer
}

// BenchmarkSocketRecv is bench's BenchmarkSocketRecv: one op is one 64-byte
// message read (to the end of the message); a goroutine sends them 64 at a
// time.
func BenchmarkSocketRecv(b *testing.B) {
	for _, k := range benchKinds {
		b.Run("api="+k.name, func(b *testing.B) {
			c, peer := k.open(b)
			done := make(chan struct{})
			go func() {
				defer close(done)
				batch := make([]byte, 64*benchMsg)
				for left := b.N; left > 0; left -= 64 {
					if _, err := peer.Write(batch[:min(left, 64)*benchMsg]); err != nil {
						return
					}
				}
			}()
			buf := make([]byte, benchMsg)
			b.SetBytes(benchMsg)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				for got := 0; got < benchMsg; {
					n, err := c.Read(buf[got:])
					if err != nil || n == 0 {
						b.Fatal(n, err)
					}
					got += n
				}
			}
			b.StopTimer()
			peer.Close()
			c.Close()
			<-done
		})
	}
}

// BenchmarkSocketCall times one call without another goroutine: the peer
// writes 64 messages, then 64 reads take them (recv); or 64 writes of a
// message, then the peer drains them (send). One op is one read or write.
func BenchmarkSocketCall(b *testing.B) {
	for _, dir := range []string{"recv", "send"} {
		for _, k := range benchKinds {
			b.Run("op="+dir+"/api="+k.name, func(b *testing.B) {
				c, peer := k.open(b)
				defer peer.Close()
				defer c.Close()
				batch := make([]byte, 64*benchMsg)
				buf := make([]byte, benchMsg)
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					if i%64 == 0 {
						if dir == "recv" {
							_, err := peer.Write(batch)
							must(b, err)
						} else if i > 0 {
							readFull(b, peer, batch)
						}
					}
					var err error
					if dir == "recv" {
						_, err = c.Read(buf)
					} else {
						_, err = c.Write(buf)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func readFull(b *testing.B, c net.Conn, p []byte) {
	for got := 0; got < len(p); {
		n, err := c.Read(p[got:])
		must(b, err)
		got += n
	}
}
