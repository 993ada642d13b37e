//go:build linux

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/sockloop/sockloop/loop"
	"github.com/sockloop/sockloop/poller"
)

// sockloopEcho writes the bytes read back from the loop's read buffer.
type sockloopEcho struct{ loop.BaseHandler }

func (sockloopEcho) OnTraffic(c *loop.Conn) loop.Action {
	b, _ := c.Next(-1)
	c.Write(b)
	return loop.None
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func serveSockloopEcho(addr string, loops int) error {
	return serveSockloop(sockloopEcho{}, addr, loops, poller.Epoll)
}

func serveSockloopUringEcho(addr string, loops int) error {
	return serveSockloop(sockloopEcho{}, addr, loops, poller.IOURing)
}

// The io_uring backend with one feature off, to tell what each buys:
// readiness polls instead of the completion path, and COOP_TASKRUN
// instead of SINGLE_ISSUER|DEFER_TASKRUN.
func serveSockloopUringPollEcho(addr string, loops int) error {
	return serveSockloop(sockloopEcho{}, addr, loops, poller.IOURing, loop.WithURingOff(poller.URingCompletion))
}

func serveSockloopUringCoopEcho(addr string, loops int) error {
	return serveSockloop(sockloopEcho{}, addr, loops, poller.IOURing, loop.WithURingOff(poller.URingDeferTaskrun))
}

// serveSockloopUringRawEcho keeps each loop's P through the first
// millisecond of its waits (loop.WithRawWait).
func serveSockloopUringRawEcho(addr string, loops int) error {
	return serveSockloop(sockloopEcho{}, addr, loops, poller.IOURing, loop.WithRawWait(poller.MaxRawWait))
}

// serveSockloop serves h on addr with the given backend until killed. It
// fails where the kernel refuses the backend rather than let the engine
// fall back to epoll and be measured under the wrong name.
func serveSockloop(h loop.Handler, addr string, loops int, b poller.Backend, opts ...loop.Option) error {
	ctx := context.Background()
	e, err := loop.New(h, append([]loop.Option{loop.WithLoops(loops), loop.WithLogger(quiet), loop.WithBackend(b)}, opts...)...)
	if err != nil {
		return err
	}
	if e.Backend() != b {
		e.Stop(ctx)
		return fmt.Errorf("sockloop: backend %s unavailable here", b)
	}
	if _, err := e.Listen("tcp://" + addr); err != nil {
		e.Stop(ctx)
		return err
	}
	if err := e.Start(ctx); err != nil {
		return err
	}
	<-e.Done()
	return nil
}

// sockloopPoolEcho answers from the engine's worker pool (WithWorkerPool):
// each read is copied and written back with AsyncWrite by a pool goroutine,
// as a handler that hands its work off the loop does. It measures what the
// loops' waits cost goroutines that need a P.
type sockloopPoolEcho struct{ loop.BaseHandler }

func (sockloopPoolEcho) OnTraffic(c *loop.Conn) loop.Action {
	b, _ := c.Next(-1)
	msg := append([]byte(nil), b...)
	if err := c.Loop().Engine().Go(func() { c.AsyncWrite(msg, nil) }); err != nil {
		return loop.Close
	}
	return loop.None
}

func serveSockloopPoolEcho(addr string, loops int) error {
	return servePoolEcho(addr, loops, poller.Epoll)
}

func serveSockloopUringPoolEcho(addr string, loops int) error {
	return servePoolEcho(addr, loops, poller.IOURing)
}

func serveSockloopUringRawPoolEcho(addr string, loops int) error {
	return servePoolEcho(addr, loops, poller.IOURing, loop.WithRawWait(poller.MaxRawWait))
}

func servePoolEcho(addr string, loops int, b poller.Backend, opts ...loop.Option) error {
	return serveSockloop(sockloopPoolEcho{}, addr, loops, b, append([]loop.Option{loop.WithWorkerPool(256)}, opts...)...)
}
