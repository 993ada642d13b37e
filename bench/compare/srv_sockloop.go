//go:build linux

package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/sockloop/sockloop/loop"
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
	return loop.Serve(context.Background(), sockloopEcho{}, "tcp://"+addr, loop.WithLoops(loops), loop.WithLogger(quiet))
}
