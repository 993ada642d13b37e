// Command echo is a TCP, UDP or Unix-socket echo server on sockloop's event
// loops. It prints nothing on success and serves until killed. With
// -metrics it also serves the engine's counters over HTTP at /debug/vars
// (expvar).
//
//	go run ./examples/echo -addr 127.0.0.1:9000 -loops 2
//	go run ./examples/echo -network udp
//	go run ./examples/echo -network unix -addr /tmp/echo.sock
//	go run ./examples/echo -metrics 127.0.0.1:9001 && curl 127.0.0.1:9001/debug/vars
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"github.com/sockloop/sockloop/examples/internal/backendflag"
	"github.com/sockloop/sockloop/examples/internal/tlsflag"
	"github.com/sockloop/sockloop/loop"
)

type echo struct {
	loop.BaseHandler
	metrics net.Listener // where to publish the counters, or nil
}

// OnBoot publishes the engine's counters where -metrics asked.
func (h echo) OnBoot(e *loop.Engine) loop.Action {
	if h.metrics != nil {
		publishMetrics(h.metrics, e)
	}
	return loop.None
}

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
	metrics := flag.String("metrics", "", "serve the counters over HTTP at this address's /debug/vars")
	chosenBackend := backendflag.Register("echo")
	tlsConfig := tlsflag.Register("echo")
	flag.Parse()
	backend := chosenBackend()
	opts := []loop.Option{loop.WithLoops(*loops), loop.WithBackend(backend)}
	if secure := tlsConfig(); secure != nil {
		if strings.HasPrefix(*network, "udp") {
			fmt.Fprintln(os.Stderr, "echo: -tls needs a stream network (tcp or unix)")
			os.Exit(2)
		}
		opts = append(opts, loop.WithTLS(secure))
	}
	h := echo{}
	if *metrics != "" {
		ln, err := net.Listen("tcp", *metrics)
		if err != nil {
			fmt.Fprintln(os.Stderr, "echo:", err)
			os.Exit(1)
		}
		h.metrics = ln
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := loop.Serve(ctx, h, *network+"://"+*addr, opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(1)
	}
}
