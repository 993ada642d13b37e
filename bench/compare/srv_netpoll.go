//go:build linux

package main

import (
	"context"

	"github.com/cloudwego/netpoll"
)

// serveNetpollEcho is netpoll's echo example: OnRequest (run on netpoll's
// goroutine pool) takes what is buffered and writes it back.
func serveNetpollEcho(addr string, loops int) error {
	if err := netpoll.SetNumLoops(loops); err != nil {
		return err
	}
	ln, err := netpoll.CreateListener("tcp", addr)
	if err != nil {
		return err
	}
	el, err := netpoll.NewEventLoop(func(_ context.Context, c netpoll.Connection) error {
		r, w := c.Reader(), c.Writer()
		b, err := r.Next(r.Len())
		if err != nil {
			return err
		}
		if _, err := w.WriteBinary(b); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
		return r.Release()
	})
	if err != nil {
		return err
	}
	return el.Serve(ln)
}
