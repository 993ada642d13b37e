// Command echo is a TCP, UDP or Unix-socket echo server on sockloop's event
// loops. It prints nothing on success and serves until killed.
//
//	go run ./examples/echo -addr 127.0.0.1:9000 -loops 2
//	go run ./examples/echo -network udp
//	go run ./examples/echo -network unix -addr /tmp/echo.sock
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/sockloop/sockloop/examples/internal/backendflag"
	"github.com/sockloop/sockloop/loop"
)

type echo struct{ loop.BaseHandler }

// OnTraffic writes back everything that arrived; the bytes are sent from the
// loop's read buffer without a copy.
func (echo) OnTraffic(c *loop.Conn) loop.Action {
	b, _ := c.Next(-1)
	c.Write(b)
	return loop.None
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "address to listen on (a path for -network unix)")
	network := flag.String("network", "tcp", "tcp, tcp4, tcp6, udp, udp4, udp6 or unix")
	loops := flag.Int("loops", runtime.NumCPU(), "number of event loops")
	chosenBackend := backendflag.Register("echo")
	flag.Parse()
	backend := chosenBackend()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := loop.Serve(ctx, echo{}, *network+"://"+*addr, loop.WithLoops(*loops), loop.WithBackend(backend))
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(1)
	}
}
