package loop

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockloop/sockloop/poller"
)

// testEdge runs the suite with edge-triggered pollers (SOCKLOOP_EDGE=1),
// testBackend with another poller backend (SOCKLOOP_BACKEND=io_uring), and
// testURingOff with io_uring's completion path turned off
// (SOCKLOOP_URING_OFF=completion), and testRawWait with raw waits
// (SOCKLOOP_RAW_WAIT=1ms), so CI covers every mode of every backend
// this machine has.
var (
	testEdge       = os.Getenv("SOCKLOOP_EDGE") == "1"
	testBackend    = poller.Backend(os.Getenv("SOCKLOOP_BACKEND"))
	testURingOff   = uringOffFromEnv(os.Getenv("SOCKLOOP_URING_OFF"))
	testRawWait, _ = time.ParseDuration(os.Getenv("SOCKLOOP_RAW_WAIT"))
)

func uringOffFromEnv(s string) poller.URingFeature {
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

// startEngine starts an engine listening on addrs and stops it when the test
// ends, failing the test if the stop is not clean.
func startEngine(t *testing.T, h Handler, addrs []string, opts ...Option) (*Engine, []net.Addr) {
	t.Helper()
	e, bound := launchEngine(t, h, addrs, opts...)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := e.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	return e, bound
}

// newTestEngine makes an engine in the suite's backend and mode, not
// started.
func newTestEngine(t testing.TB, h Handler, opts ...Option) *Engine {
	t.Helper()
	base := []Option{WithLoops(2), WithEdgeTriggered(testEdge), WithBackend(testBackend), WithURingOff(testURingOff), WithRawWait(testRawWait), WithLogger(quietLogger)}
	e, err := New(h, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// launchEngine starts an engine listening on addrs, in the suite's backend
// and mode, and leaves its stop to the caller.
func launchEngine(t *testing.T, h Handler, addrs []string, opts ...Option) (*Engine, []net.Addr) {
	t.Helper()
	e := newTestEngine(t, h, opts...)
	var bound []net.Addr
	for _, a := range addrs {
		ba, err := e.Listen(a)
		if err != nil {
			e.Stop(context.Background())
			t.Fatal(err)
		}
		bound = append(bound, ba)
	}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e, bound
}

// echoHandler echoes every byte and records how connections closed.
type echoHandler struct {
	BaseHandler
	mu     sync.Mutex
	closed []error
	closes chan error
}

func newEchoHandler() *echoHandler { return &echoHandler{closes: make(chan error, 1024)} }

func (h *echoHandler) OnTraffic(c *Conn) Action {
	b, _ := c.Next(-1)
	c.Write(b)
	return None
}

func (h *echoHandler) OnClose(c *Conn, err error) Action {
	h.closes <- err
	return None
}

// waitClose returns the error of the next connection to close.
func waitClose(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(20 * time.Second):
		t.Fatal("no connection closed within 20s")
		return nil
	}
}

// waitFor polls cond until it holds, failing the test after 20 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; !cond(); i++ {
		if i > 2000 {
			t.Fatal("condition not met within 20s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// writeUntilStalled writes to c, which the server answers and never reads
// back, until a write makes no progress for a while: every buffer on the
// way is full. It returns how much was written.
func writeUntilStalled(t *testing.T, c net.Conn) int {
	t.Helper()
	chunk := pattern(64 << 10)
	sent := 0
	for sent < 256<<20 {
		c.SetWriteDeadline(time.Now().Add(300 * time.Millisecond))
		n, err := c.Write(chunk)
		sent += n
		if errors.Is(err, os.ErrDeadlineExceeded) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return sent
}

func dial(t *testing.T, addr net.Addr) net.Conn {
	t.Helper()
	c, err := dialConn(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func tempSocket(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "sockloop")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir + "/s.sock"
}
