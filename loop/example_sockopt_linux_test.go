package loop_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/sockloop/sockloop/loop"
	"github.com/sockloop/sockloop/sockopt"
)

// optionPrinter prints a connection's socket options as the kernel reports
// them, from its descriptor.
type optionPrinter struct {
	loop.BaseHandler
	done chan struct{}
}

func (h optionPrinter) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	idle, _ := sockopt.KeepAliveIdle(c.Fd())
	intvl, _ := sockopt.KeepAliveInterval(c.Fd())
	cnt, _ := sockopt.KeepAliveCount(c.Fd())
	rcv, _ := sockopt.RecvBuffer(c.Fd())
	ut, _ := sockopt.UserTimeout(c.Fd())
	fmt.Println("keep-alive:", idle, intvl, cnt)
	fmt.Println("receive buffer:", rcv) // Linux reports twice the size set
	fmt.Println("user timeout:", ut)
	close(h.done)
	return nil, loop.Close
}

// Every TCP connection of the engine, accepted or dialed, gets keep-alive,
// buffer sizes and a user timeout; the listening socket gets the buffer
// sizes too, so that the window announced in the handshake follows them.
func ExampleWithTCPKeepAlive() {
	h := optionPrinter{done: make(chan struct{})}
	e, err := loop.New(h, loop.WithLoops(1),
		loop.WithTCPKeepAlive(30*time.Second, 5*time.Second, 4),
		loop.WithSocketBuffers(64<<10, 64<<10),
		loop.WithTCPUserTimeout(20*time.Second))
	if err != nil {
		panic(err)
	}
	addr, err := e.Listen("tcp://127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	if err := e.Start(context.Background()); err != nil {
		panic(err)
	}
	defer e.Stop(context.Background())

	c, _ := net.Dial("tcp", addr.String())
	defer c.Close()
	<-h.done
	// Output:
	// keep-alive: 30s 5s 4
	// receive buffer: 131072
	// user timeout: 20s
}

// A listener that wakes the loop only for connections that have sent
// something (or waited about 3 s), takes TCP Fast Open requests, and keeps
// up to 1024 connections waiting to be accepted.
func ExampleEngine_Listen_socketOptions() {
	e, err := loop.New(echo{}, loop.WithLoops(1))
	if err != nil {
		panic(err)
	}
	addr, err := e.Listen("tcp://127.0.0.1:0",
		loop.WithBacklog(1024), loop.WithFastOpen(256), loop.WithDeferAccept(3*time.Second))
	if err != nil {
		panic(err)
	}
	if err := e.Start(context.Background()); err != nil {
		panic(err)
	}
	defer e.Stop(context.Background())

	c, _ := net.Dial("tcp", addr.String())
	defer c.Close()
	c.Write([]byte("first bytes")) // the loop sees the connection now
	buf := make([]byte, 11)
	io.ReadFull(c, buf)
	fmt.Println(string(buf))
	// Output: first bytes
}
