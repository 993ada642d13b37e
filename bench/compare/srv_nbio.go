//go:build linux

package main

import (
	"github.com/lesismal/nbio"
)

// serveNbioEcho is nbio's echo example: OnData writes the data back, in the
// poller goroutine (nbio's default, level-triggered).
func serveNbioEcho(addr string, loops int) error {
	e := nbio.NewEngine(nbio.Config{Network: "tcp", Addrs: []string{addr}, NPoller: loops})
	e.OnData(func(c *nbio.Conn, data []byte) { c.Write(data) })
	if err := e.Start(); err != nil {
		return err
	}
	select {}
}
