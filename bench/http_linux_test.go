//go:build linux

package bench

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/http1"
	"github.com/sockloop/sockloop/loop"
	"github.com/sockloop/sockloop/poller"
)

// BenchmarkHTTP answers pipelined plaintext requests (wrk's GET / with 16
// in flight per connection) from a sockloop server and a net server, both
// parsing with codec/http1. One op is one request answered and checked.
//
//	go test -run XXX -bench HTTP -benchmem ./bench/
func BenchmarkHTTP(b *testing.B) {
	for _, conns := range []int{1, 100, 1000} {
		for _, sk := range httpServerKinds() {
			b.Run(fmt.Sprintf("server=%s/conns=%d/depth=16", sk.name, conns), func(b *testing.B) {
				benchHTTP(b, sk, conns, 16)
			})
		}
	}
}

func benchHTTP(b *testing.B, sk serverKind, conns, depth int) {
	srv := startServer(b, sk)
	c, err := DialHTTP(srv.Addr(), conns, depth)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if err := c.Run(2 * conns * depth); err != nil { // warm up
		b.Fatal(err)
	}
	c.Latency().Reset()
	measure(b, "msgs/s", c.Run)
	reportLatency(b, c.Latency())
}

// httpServerKinds are the plaintext servers the -backend flag selects.
func httpServerKinds() []serverKind {
	return selectServers([]serverKind{
		{"sockloop", func() (server, error) { return asServer(startLoopHTTP(poller.Epoll)) }},
		{"sockloop-uring", func() (server, error) { return asServer(startLoopHTTP(poller.IOURing)) }},
		{"net", func() (server, error) { return asServer(startNetHTTP()) }},
	})
}

var (
	notFound    = []byte("Not Found")
	closeHeader = []http1.Header{{Name: []byte("Connection"), Value: []byte("close")}}
)

const textPlain = "text/plain; charset=utf-8"

// helloAnswer is the Date value and the whole answer to a keep-alive GET /
// with it, rebuilt once a second so that requests never format a date (as
// examples/http does).
type helloAnswer struct{ date, ok []byte }

func newHelloAnswer(now time.Time) *helloAnswer {
	date := http1.AppendDate(nil, now)
	return &helloAnswer{date: date, ok: http1.AppendResponse(nil, 200, date, textPlain, HelloBody)}
}

// respond appends the answer to req: "Hello, World!" for GET / or
// /plaintext, 404 for other paths, "Connection: close" when the client
// asked for it. The bench server speaks no more HTTP than that.
func respond(out []byte, req *http1.Request, ha *helloAnswer) []byte {
	path := string(req.Path)
	if !req.Close && req.Minor == 1 && string(req.Method) == "GET" && (path == "/" || path == "/plaintext") {
		return append(out, ha.ok...)
	}
	status, body, extra := 200, HelloBody, closeHeader[:0]
	if path != "/" && path != "/plaintext" {
		status, body = 404, notFound
	}
	if req.Close {
		extra = closeHeader
	}
	return http1.AppendResponse(out, status, ha.date, textPlain, body, extra...)
}

// loopHTTP is the sockloop plaintext server of examples/http, cut down to
// respond: every whole request buffered is answered, and the answers of one
// OnTraffic go out in one Write.
type loopHTTP struct {
	loop.BaseHandler
	parser http1.Parser
	loops  []*loopHTTPState
}

// loopHTTPState is what one loop reuses for every request: callbacks of a
// loop run one at a time, so none of it needs a lock.
type loopHTTPState struct {
	hello *helloAnswer
	req   http1.Request
	out   []byte
}

// OnBoot gives every loop its state and a timer that refreshes its Date.
func (s *loopHTTP) OnBoot(e *loop.Engine) loop.Action {
	s.loops = make([]*loopHTTPState, len(e.Loops()))
	for i, l := range e.Loops() {
		ls := &loopHTTPState{hello: newHelloAnswer(time.Now())}
		s.loops[i] = ls
		l.Every(time.Second, func() { ls.hello = newHelloAnswer(time.Now()) })
	}
	return loop.None
}

func (s *loopHTTP) OnTraffic(c *loop.Conn) loop.Action {
	ls := s.loops[c.Loop().Index()]
	out, closing := serveHTTP(&s.parser, c, &ls.req, ls.hello, ls.out[:0])
	if len(out) > 0 {
		c.Write(out) // copied: ls.out is reused at once
	}
	ls.out = out
	if closing {
		return loop.Close
	}
	return loop.None
}

// serveHTTP answers the whole requests buffered in r, appending to out;
// closing reports that the connection must close after the answers.
func serveHTTP(p *http1.Parser, r codec.Reader, req *http1.Request, ha *helloAnswer, out []byte) (_ []byte, closing bool) {
	for {
		n, err := p.Parse(r, req)
		if err != nil {
			if err == codec.ErrIncomplete || errors.Is(err, codec.ErrIncomplete) {
				return out, false
			}
			return http1.AppendError(out, err), true
		}
		out = respond(out, req, ha)
		closing = req.Close
		r.Discard(n)
		if closing {
			return out, true
		}
	}
}

func startLoopHTTP(b poller.Backend) (*loopServer, error) {
	return startLoop(&loopHTTP{}, b, "tcp://127.0.0.1:0")
}

// netHTTP is the goroutine-per-connection plaintext server: a 4 KiB bufio
// reader (as net/http's), the same parser and answers, one Write for the
// answers to what one read brought.
type netHTTP struct {
	*netServer
	parser http1.Parser
	hello  atomic.Pointer[helloAnswer]
	stop   chan struct{}
	wg     sync.WaitGroup
}

func startNetHTTP() (*netHTTP, error) {
	s := &netHTTP{stop: make(chan struct{})}
	s.hello.Store(newHelloAnswer(time.Now()))
	ns, err := startNet(s.serve)
	if err != nil {
		return nil, err
	}
	s.netServer = ns
	s.wg.Add(1)
	go s.tick()
	return s, nil
}

// tick refreshes the Date once a second.
func (s *netHTTP) tick() {
	defer s.wg.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case now := <-t.C:
			s.hello.Store(newHelloAnswer(now))
		}
	}
}

func (s *netHTTP) serve(c net.Conn) {
	br := bufio.NewReaderSize(c, 4096)
	r := bufioReader{br}
	var req http1.Request
	out := make([]byte, 0, 4096)
	for {
		var closing bool
		out, closing = serveHTTP(&s.parser, r, &req, s.hello.Load(), out[:0])
		if len(out) > 0 {
			if _, err := c.Write(out); err != nil {
				return
			}
		}
		if closing {
			return
		}
		// Wait for at least one more byte; a full buffer holding no whole
		// request ends the connection.
		if _, err := br.Peek(br.Buffered() + 1); err != nil {
			return
		}
	}
}

func (s *netHTTP) Close() error {
	close(s.stop)
	s.wg.Wait()
	return s.netServer.Close()
}

// bufioReader is a bufio.Reader as a codec.Reader: Peek never waits for
// more input than is buffered.
type bufioReader struct{ *bufio.Reader }

func (r bufioReader) Peek(n int) ([]byte, error) {
	if k := r.Buffered(); n < 0 || n > k {
		b, _ := r.Reader.Peek(k)
		if n > k {
			return b, io.ErrShortBuffer
		}
		return b, nil
	}
	return r.Reader.Peek(n)
}

func (r bufioReader) InboundBuffered() int { return r.Buffered() }
