package netconn_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sockloop/sockloop/loop"
	"github.com/sockloop/sockloop/loop/netconn"
	"github.com/sockloop/sockloop/poller"
)

// The suite runs in the backend and mode CI asks for, as loop's does:
// SOCKLOOP_BACKEND=io_uring, SOCKLOOP_EDGE=1, SOCKLOOP_URING_OFF=completion.
var (
	testEdge    = os.Getenv("SOCKLOOP_EDGE") == "1"
	testBackend = poller.Backend(os.Getenv("SOCKLOOP_BACKEND"))
	testURing   = uringOff(os.Getenv("SOCKLOOP_URING_OFF"))
)

func uringOff(s string) poller.URingFeature {
	var off poller.URingFeature
	for _, name := range strings.Split(s, ",") {
		switch name {
		case "completion":
			off |= poller.URingCompletion
		case "defer-taskrun":
			off |= poller.URingDeferTaskrun
		}
	}
	return off
}

var quietLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

// engineOptions are the suite's engine options, then extra.
func engineOptions(extra ...loop.Option) []loop.Option {
	return append([]loop.Option{loop.WithLoops(2), loop.WithEdgeTriggered(testEdge),
		loop.WithBackend(testBackend), loop.WithURingOff(testURing), loop.WithLogger(quietLogger)}, extra...)
}

// server is an engine whose Handler serves one address on 127.0.0.1.
type server struct {
	e    *loop.Engine
	h    *netconn.Handler
	addr net.Addr
	ln   *netconn.Listener // claims addr, unless the test passes it to next
}

// startServer starts an engine serving next through a Handler, with a
// Listener on a loopback port, and stops it when the test ends.
func startServer(t *testing.T, next loop.Handler, opts ...loop.Option) *server {
	t.Helper()
	return startEngine(t, "tcp://127.0.0.1:0", true, netconn.NewHandler(next), opts...)
}

// startEngine starts an engine listening on addr and served by h, with a
// Listener for addr if claim, and stops it when the test ends.
func startEngine(t *testing.T, addr string, claim bool, h *netconn.Handler, opts ...loop.Option) *server {
	t.Helper()
	e, err := loop.New(h, engineOptions(opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.Listen(addr)
	if err != nil {
		e.Stop(context.Background())
		t.Fatal(err)
	}
	s := &server{e: e, h: h, addr: a}
	if claim {
		s.ln = h.Listener(a)
	}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop stops the engine, failing the test if that takes long.
func (s *server) stop(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.e.Stop(ctx)
	if ctx.Err() != nil {
		t.Errorf("Stop: %v", ctx.Err())
	}
}

// pair returns an accepted Conn and the client's end of it, both closed
// when the test ends.
func (s *server) pair(t *testing.T) (*netconn.Conn, net.Conn) {
	t.Helper()
	client, err := net.Dial(s.ln.Addr().Network(), s.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	c, err := s.ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c.(*netconn.Conn), client
}

// within fails the test if f does not return within d; timing limits do
// not belong in tests, so d is only a guard against a hang.
func within(t *testing.T, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s: still blocked after %v", what, d)
	}
}
