//go:build unix

package loop_test

import (
	"context"
	"fmt"
	"log"
	"net"

	"github.com/sockloop/sockloop/loop"
)

// Listen takes udp:// addresses too: OnTraffic then runs once per datagram
// and Write answers its sender.
func ExampleEngine_Listen_udp() {
	e, err := loop.New(echo{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	addr, err := e.Listen("udp://127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	c, err := net.Dial("udp", addr.String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("ping"))
	b := make([]byte, 64)
	n, _ := c.Read(b)
	fmt.Println(string(b[:n]))
	// Output: ping
}

// WithUDPBatch sets how many datagrams one system call moves on Linux
// (recvmmsg, sendmmsg); 1 makes a call per datagram. Handlers see no
// difference.
func ExampleWithUDPBatch() {
	e, err := loop.New(echo{}, loop.WithLoops(1), loop.WithUDPBatch(64))
	if err != nil {
		log.Fatal(err)
	}
	addr, err := e.Listen("udp://127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	c, err := net.Dial("udp", addr.String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	for _, msg := range []string{"one", "two", "three"} {
		c.Write([]byte(msg))
	}
	b := make([]byte, 64)
	for range 3 {
		n, _ := c.Read(b)
		fmt.Print(string(b[:n]), " ")
	}
	fmt.Println()
	// Output: one two three
}
