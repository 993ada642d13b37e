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

	"github.com/sockloop/sockloop/loop"
	"github.com/sockloop/sockloop/poller"
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
	backend := flag.String("backend", "epoll", "poller backend: epoll or io_uring (epoll where the kernel refuses io_uring)")
	flag.Parse()
	if *backend != string(poller.Epoll) && *backend != string(poller.IOURing) {
		fmt.Fprintf(os.Stderr, "echo: unknown backend %q; use epoll or io_uring\n", *backend)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := loop.Serve(ctx, echo{}, *network+"://"+*addr, loop.WithLoops(*loops), loop.WithBackend(poller.Backend(*backend)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(1)
	}
}
