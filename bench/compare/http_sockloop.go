//go:build linux

package main

import (
	"errors"
	"time"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/http1"
	"github.com/sockloop/sockloop/loop"
	"github.com/sockloop/sockloop/poller"
)

// sockloopHTTP is the handler shape of examples/http reduced to plaintext:
// codec/http1 parses every buffered request, the responses of one OnTraffic
// are appended to a per-loop buffer and written at once, and the Date value
// is reformatted once a second by a loop timer.
type sockloopHTTP struct {
	loop.BaseHandler
	parser http1.Parser
	loops  []*httpLoop
}

type httpLoop struct {
	date []byte
	req  http1.Request
	out  []byte
}

var hello = []byte("Hello, World!")

const textPlain = "text/plain; charset=utf-8"

func (s *sockloopHTTP) OnBoot(e *loop.Engine) loop.Action {
	s.loops = make([]*httpLoop, len(e.Loops()))
	for i, l := range e.Loops() {
		ls := &httpLoop{date: http1.AppendDate(nil, time.Now())}
		s.loops[i] = ls
		l.Every(time.Second, func() { ls.date = http1.AppendDate(ls.date[:0], time.Now()) })
	}
	return loop.None
}

func (s *sockloopHTTP) OnTraffic(c *loop.Conn) loop.Action {
	ls := s.loops[c.Loop().Index()]
	out, closing := s.serve(c, ls, ls.out[:0])
	if len(out) > 0 {
		c.Write(out)
	}
	ls.out = out
	if closing {
		return loop.Close
	}
	return loop.None
}

func (s *sockloopHTTP) serve(r codec.Reader, ls *httpLoop, out []byte) ([]byte, bool) {
	for {
		n, err := s.parser.Parse(r, &ls.req)
		if err != nil {
			if errors.Is(err, codec.ErrIncomplete) {
				return out, false
			}
			return http1.AppendError(out, err), true
		}
		out = http1.AppendResponse(out, 200, ls.date, textPlain, hello)
		r.Discard(n)
		if ls.req.Close {
			return out, true
		}
	}
}

func serveSockloopHTTP(addr string, loops int) error {
	return serveSockloop(&sockloopHTTP{}, addr, loops, poller.Epoll)
}

func serveSockloopUringHTTP(addr string, loops int) error {
	return serveSockloop(&sockloopHTTP{}, addr, loops, poller.IOURing)
}

func serveSockloopUringPollHTTP(addr string, loops int) error {
	return serveSockloop(&sockloopHTTP{}, addr, loops, poller.IOURing, loop.WithURingOff(poller.URingCompletion))
}

func serveSockloopUringCoopHTTP(addr string, loops int) error {
	return serveSockloop(&sockloopHTTP{}, addr, loops, poller.IOURing, loop.WithURingOff(poller.URingDeferTaskrun))
}
