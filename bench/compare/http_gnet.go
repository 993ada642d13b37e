//go:build linux

package main

import (
	"bytes"
	"sync/atomic"
	"time"

	"github.com/panjf2000/gnet/v2"
)

// gnetHTTP is the plaintext server in the style of gnet's HTTP benchmark
// (TechEmpower entry and gnet-examples): a request ends at the first blank
// line, every complete request in the buffer gets a fixed response with the
// cached Date, and the responses of one OnTraffic go out in one Write.
type gnetHTTP struct {
	gnet.BuiltinEventEngine
	date atomic.Pointer[[]byte]
}

type gnetHTTPConn struct{ out []byte }

var crlf2 = []byte("\r\n\r\n")

func (s *gnetHTTP) OnBoot(gnet.Engine) gnet.Action {
	s.tick()
	go func() {
		for range time.Tick(time.Second) {
			s.tick()
		}
	}()
	return gnet.None
}

func (s *gnetHTTP) tick() {
	d := []byte(time.Now().UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT"))
	s.date.Store(&d)
}

func (s *gnetHTTP) OnOpen(c gnet.Conn) ([]byte, gnet.Action) {
	c.SetContext(&gnetHTTPConn{})
	return nil, gnet.None
}

func (s *gnetHTTP) OnTraffic(c gnet.Conn) gnet.Action {
	hc := c.Context().(*gnetHTTPConn)
	buf, _ := c.Peek(-1)
	date := *s.date.Load()
	out, used := hc.out[:0], 0
	for {
		i := bytes.Index(buf[used:], crlf2)
		if i < 0 {
			break
		}
		used += i + 4
		out = append(out, "HTTP/1.1 200 OK\r\nServer: gnet\r\nContent-Type: text/plain; charset=utf-8\r\nDate: "...)
		out = append(out, date...)
		out = append(out, "\r\nContent-Length: 13\r\n\r\nHello, World!"...)
	}
	hc.out = out
	if len(out) > 0 {
		c.Write(out)
	}
	c.Discard(used)
	return gnet.None
}

func serveGnetHTTP(addr string, loops int) error {
	return gnet.Run(&gnetHTTP{}, "tcp://"+addr, gnetOptions(loops)...)
}
