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
// and with it the whole keep-alive answer are rebuilt once a second by a
// loop timer.
type sockloopHTTP struct {
	loop.BaseHandler
	parser http1.Parser
	loops  []*httpLoop
}

type httpLoop struct {
	date []byte
	ok   []byte // the whole answer to a keep-alive request, with that Date
	req  http1.Request
	out  []byte
}

// setDate changes the Date and rebuilds the answer with it, as
// examples/http does: every request of the benchmark gets these bytes.
func (ls *httpLoop) setDate(now time.Time) {
	ls.date = http1.AppendDate(ls.date[:0], now)
	ls.ok = http1.AppendResponse(ls.ok[:0], 200, ls.date, textPlain, hello)
}

var hello = []byte("Hello, World!")

const textPlain = "text/plain; charset=utf-8"

func (s *sockloopHTTP) OnBoot(e *loop.Engine) loop.Action {
	s.loops = make([]*httpLoop, len(e.Loops()))
	for i, l := range e.Loops() {
		ls := &httpLoop{}
		ls.setDate(time.Now())
		s.loops[i] = ls
		l.Every(time.Second, func() { ls.setDate(time.Now()) })
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
		if ls.req.Close || ls.req.Minor == 0 {
			out = http1.AppendResponse(out, 200, ls.date, textPlain, hello, closeOrKeep(&ls.req)...)
		} else {
			out = append(out, ls.ok...)
		}
		r.Discard(n)
		if ls.req.Close {
			return out, true
		}
	}
}

var (
	closeHeader = []http1.Header{{Name: []byte("Connection"), Value: []byte("close")}}
	keepHeader  = []http1.Header{{Name: []byte("Connection"), Value: []byte("keep-alive")}}
)

// closeOrKeep is the Connection field of an answer that is not the cached
// one: close when the request asked for it, keep-alive for HTTP/1.0.
func closeOrKeep(req *http1.Request) []http1.Header {
	if req.Close {
		return closeHeader
	}
	return keepHeader
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

func serveSockloopUringRawHTTP(addr string, loops int) error {
	return serveSockloop(&sockloopHTTP{}, addr, loops, poller.IOURing, loop.WithRawWait(poller.MaxRawWait))
}

func serveSockloopUringCoopHTTP(addr string, loops int) error {
	return serveSockloop(&sockloopHTTP{}, addr, loops, poller.IOURing, loop.WithURingOff(poller.URingDeferTaskrun))
}
