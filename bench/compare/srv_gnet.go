//go:build linux

package main

import (
	"github.com/panjf2000/gnet/v2"
	"github.com/panjf2000/gnet/v2/pkg/logging"
)

// gnetEcho is gnet's own echo example: Next(-1) and Write.
type gnetEcho struct{ gnet.BuiltinEventEngine }

func (gnetEcho) OnTraffic(c gnet.Conn) gnet.Action {
	b, _ := c.Next(-1)
	c.Write(b)
	return gnet.None
}

func serveGnetEcho(addr string, loops int) error {
	return gnet.Run(&gnetEcho{}, "tcp://"+addr, gnetOptions(loops)...)
}

func gnetOptions(loops int) []gnet.Option {
	return []gnet.Option{
		gnet.WithMulticore(loops > 1),
		gnet.WithNumEventLoop(loops),
		gnet.WithTCPNoDelay(gnet.TCPNoDelay),
		gnet.WithLogLevel(logging.ErrorLevel),
	}
}
