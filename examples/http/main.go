// Command http is an HTTP/1.1 plaintext server on sockloop's event loops and
// the codec/http1 parser. GET / (and GET /plaintext) answers "Hello, World!"
// with Date, Content-Type and Content-Length; connections stay open
// (keep-alive) and pipelined requests are answered in order with one write
// per batch. Malformed or oversized requests get 400, 413 or 431 and the
// connection is closed. It prints nothing on success and serves until
// SIGINT or SIGTERM, then drains: idle connections close at once, a request
// under way gets its answer with "Connection: close", and what is left when
// -grace ends is closed.
//
// With -nethttp it gives the same answers with a net/http handler, served
// by net/http's Server on the loops through loop/netconn: the way to bring
// existing net/http code to the loops, at the adapter's cost (see
// bench/README.md). It drains with the Server's Shutdown, bounded by -grace.
//
//	go run ./examples/http -addr 127.0.0.1:9000 -loops 2
//	go run ./examples/http -addr 127.0.0.1:9000 -nethttp
//	curl -i http://127.0.0.1:9000/
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/http1"
	"github.com/sockloop/sockloop/examples/internal/backendflag"
	"github.com/sockloop/sockloop/examples/internal/tlsflag"
	"github.com/sockloop/sockloop/loop"
)

var (
	hello       = []byte("Hello, World!")
	notFound    = []byte("Not Found")
	notAllowed  = []byte("Method Not Allowed")
	closeHeader = []http1.Header{{Name: []byte("Connection"), Value: []byte("close")}}
	allowHeader = []http1.Header{{Name: []byte("Allow"), Value: []byte("GET, HEAD")}}
	allowClose  = []http1.Header{allowHeader[0], closeHeader[0]}
	keepHeader  = []http1.Header{{Name: []byte("Connection"), Value: []byte("keep-alive")}}
	allowKeep   = []http1.Header{allowHeader[0], keepHeader[0]}
)

const textPlain = "text/plain; charset=utf-8"

// plainToTLS is net/http's answer to a plain HTTP request sent to its HTTPS
// port, so that the loop handler and -nethttp answer such a client alike.
var plainToTLS = []byte("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n")

// loopState is what one loop reuses for every request it serves: the
// handler runs one callback at a time per loop, so none of it needs a lock.
type loopState struct {
	date []byte        // the Date value, refreshed once a second by a loop timer
	ok   []byte        // the whole answer to a keep-alive GET of /, with that Date
	req  http1.Request // the request being answered; its views die with the callback
	out  []byte        // responses of one OnTraffic, written with one Write
	// stopping: the engine is stopping, and every answer ends its
	// connection (drain.go).
	stopping bool
}

// newLoopState returns a loop's state with the Date of now.
func newLoopState(now time.Time) *loopState {
	ls := &loopState{}
	ls.setDate(now)
	return ls
}

// setDate changes the Date and rebuilds the common answer with it: most
// requests get exactly these bytes, so they are built once a second, not
// once a request.
func (ls *loopState) setDate(now time.Time) {
	ls.date = http1.AppendDate(ls.date[:0], now)
	ls.ok = http1.AppendResponse(ls.ok[:0], 200, ls.date, textPlain, hello)
}

type server struct {
	loop.BaseHandler
	parser http1.Parser
	loops  []*loopState
}

// OnBoot gives every loop its state and a one-second timer that reformats
// the Date value on that loop, so requests never format a date.
func (s *server) OnBoot(e *loop.Engine) loop.Action {
	s.loops = make([]*loopState, len(e.Loops()))
	for i, l := range e.Loops() {
		ls := newLoopState(time.Now())
		s.loops[i] = ls
		l.Every(time.Second, func() { ls.setDate(time.Now()) })
	}
	return loop.None
}

// OnTraffic answers every whole request buffered (a pipeline), appending the
// responses to the loop's buffer and writing them at once.
func (s *server) OnTraffic(c *loop.Conn) loop.Action {
	ls := s.loops[c.Loop().Index()]
	out, closing := s.serve(c, ls, ls.out[:0])
	if len(out) > 0 {
		c.Write(out) // copied into pool memory: ls.out is reused at once
	}
	ls.out = out
	if closing {
		return loop.Close
	}
	return loop.None
}

// serve parses and answers the requests buffered in r, appending responses to
// out; closing reports that the connection must close after them.
//
// Requests are parsed into the loop's Request, but for a chunked body that
// is still arriving: its connection gets a Request of its own (r's
// context, dropped once the body is whole), which keeps how far the body
// was checked, so that each read resumes there whatever other connections
// parse meanwhile.
func (s *server) serve(r codec.Reader, ls *loopState, out []byte) (_ []byte, closing bool) {
	c, _ := r.(*loop.Conn)
	req := &ls.req
	if c != nil {
		if own, ok := c.Context().(*http1.Request); ok {
			req = own
		}
	}
	for {
		n, err := s.parser.Parse(r, req)
		if err != nil {
			if err == codec.ErrIncomplete || errors.Is(err, codec.ErrIncomplete) {
				if c != nil && req == &ls.req && req.Chunked {
					ls.req.Reset() // its progress is this connection's alone
					req = new(http1.Request)
					c.SetContext(req)
					s.parser.Parse(r, req) // the walk so far, to resume from
				}
				return out, false
			}
			// 400, 413, 431 (or 501, 505) with "Connection: close".
			return http1.AppendError(out, err), true
		}
		if req != &ls.req {
			c.SetContext(nil) // answered below; its views stay valid until Discard
		}
		if ls.stopping {
			req.Close = true
		}
		out = respond(out, req, ls)
		closing = req.Close
		r.Discard(n)
		if closing {
			return out, true
		}
		req = &ls.req
	}
}

// respond appends the response to req.
func respond(out []byte, req *http1.Request, ls *loopState) []byte {
	if !req.Close && req.Minor == 1 && string(req.Method) == "GET" && (string(req.Path) == "/" || string(req.Path) == "/plaintext") {
		return append(out, ls.ok...)
	}
	date := ls.date
	status, body, extra := 200, hello, closeHeader[:0]
	switch p := string(req.Path); {
	case p != "/" && p != "/plaintext":
		status, body = 404, notFound
	case string(req.Method) != "GET" && string(req.Method) != "HEAD":
		status, body, extra = 405, notAllowed, allowHeader
	}
	switch {
	case req.Close && status == 405:
		extra = allowClose
	case req.Close:
		extra = closeHeader
	case req.Minor == 0 && status == 405:
		extra = allowKeep // an HTTP/1.0 client asked for keep-alive
	case req.Minor == 0:
		extra = keepHeader
	}
	if string(req.Method) == "HEAD" {
		// The same head as for GET, Content-Length included, with no body.
		out = http1.AppendResponse(out, status, date, textPlain, body, extra...)
		return out[:len(out)-len(body)]
	}
	return http1.AppendResponse(out, status, date, textPlain, body, extra...)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "address to listen on")
	loops := flag.Int("loops", runtime.NumCPU(), "number of event loops")
	grace := flag.Duration("grace", 5*time.Second, "how long a stop waits for requests under way")
	nethttp := flag.Bool("nethttp", false, "serve a net/http handler through loop/netconn instead of the loop handler")
	chosenBackend := backendflag.Register("http")
	tlsConfig := tlsflag.Register("http", "http/1.1")
	flag.Parse()
	backend := chosenBackend()
	secure := tlsConfig()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := []loop.Option{loop.WithLoops(*loops), loop.WithBackend(backend), loop.WithStopTimeout(*grace)}
	var err error
	if *nethttp {
		err = serveNetHTTP(ctx, "tcp://"+*addr, *grace, secure, opts...)
	} else {
		if secure != nil {
			opts = append(opts, loop.WithTLS(secure), loop.WithTLSPlaintextReply(plainToTLS))
		}
		err = loop.Serve(ctx, &server{}, "tcp://"+*addr, opts...)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "http:", err)
		os.Exit(1)
	}
}
