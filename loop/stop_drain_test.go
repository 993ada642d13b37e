package loop

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sockloop/sockloop/internal/leaktest"
)

// drainHandler answers each request line only when the test releases the
// answers; on a stop it closes idle connections at once and keeps those
// with a request in flight, which close after their answer.
type drainHandler struct {
	BaseHandler
	requests atomic.Int32 // request lines received
	told     atomic.Int32 // OnStop calls
	closes   chan error
	mu       sync.Mutex
	pending  map[*Loop][]*Conn // per loop: connections owed an answer
}

func newDrainHandler() *drainHandler {
	return &drainHandler{closes: make(chan error, 4096), pending: map[*Loop][]*Conn{}}
}

func (h *drainHandler) OnTraffic(c *Conn) Action {
	for {
		line, err := c.Peek(-1)
		if err != nil {
			return Close
		}
		i := indexByte(line, '\n')
		if i < 0 {
			return None
		}
		c.Discard(i + 1)
		c.SetContext(true) // owed an answer
		h.mu.Lock()
		h.pending[c.Loop()] = append(h.pending[c.Loop()], c)
		h.mu.Unlock()
		h.requests.Add(1)
	}
}

func indexByte(b []byte, x byte) int {
	for i, y := range b {
		if y == x {
			return i
		}
	}
	return -1
}

func (h *drainHandler) OnStop(c *Conn) Action {
	h.told.Add(1)
	if owed, _ := c.Context().(bool); owed {
		return None
	}
	return Close
}

func (h *drainHandler) OnClose(c *Conn, err error) Action {
	h.closes <- err
	return None
}

// answer writes the owed answers on their loops, closing each connection
// after it when the engine is stopping, as an HTTP server does at a
// request boundary.
func (h *drainHandler) answer(e *Engine) {
	for _, l := range e.Loops() {
		l.Submit(func() {
			h.mu.Lock()
			owed := h.pending[l]
			delete(h.pending, l)
			h.mu.Unlock()
			for _, c := range owed {
				c.Write([]byte("answer\n"))
				c.SetContext(false)
				if l.Stopping() {
					c.Close()
				}
			}
		})
	}
}

// TestStopDrainsRequestsInFlight is the graceful drain: 1,000 connections
// each have a request in flight when Stop begins; idle connections close at
// once, every request gets its answer, and only then does Stop return,
// without closing anything by force.
func TestStopDrainsRequestsInFlight(t *testing.T) {
	base := leaktest.Take()
	const busy, idle = 1000, 20
	h := newDrainHandler()
	e, addrs := launchEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithLoops(2))
	var clients []net.Conn
	for range busy + idle {
		c := dial(t, addrs[0])
		clients = append(clients, c)
	}
	for _, c := range clients[:busy] {
		if _, err := c.Write([]byte("request\n")); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, func() bool { return h.requests.Load() == busy && e.CountConnections() == busy+idle })

	stopped := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		stopped <- e.Stop(ctx)
	}()
	waitFor(t, func() bool { return h.told.Load() == busy+idle })
	// The idle connections end while the busy ones still wait.
	for _, c := range clients[busy:] {
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		if n, err := c.Read(make([]byte, 1)); err != io.EOF {
			t.Fatalf("idle connection: read %d, %v; want EOF", n, err)
		}
	}
	waitFor(t, func() bool { return e.CountConnections() == busy })
	select {
	case err := <-stopped:
		t.Fatalf("Stop returned (%v) with %d requests in flight", err, busy)
	default:
	}
	if _, err := net.Dial("tcp", addrs[0].String()); err == nil {
		t.Fatal("a stopping engine still accepts")
	}

	h.answer(e)
	if err := <-stopped; err != nil {
		t.Fatalf("Stop = %v; want nil", err)
	}
	for i, c := range clients[:busy] {
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		r := bufio.NewReader(c)
		line, err := r.ReadString('\n')
		if line != "answer\n" || err != nil {
			t.Fatalf("client %d: %q, %v; want the answer", i, line, err)
		}
		if _, err := r.ReadByte(); err != io.EOF {
			t.Fatalf("client %d: after the answer %v; want EOF", i, err)
		}
	}
	for range busy + idle {
		if err := waitClose(t, h.closes); err != nil {
			t.Fatalf("OnClose: %v; want an orderly close", err)
		}
	}
	if s := e.Stats(); s.ClosedOrderly != busy+idle || s.ClosedStopped != 0 {
		t.Fatalf("stats %+v: want every close orderly", s)
	}
	for _, c := range clients {
		c.Close()
	}
	if err := base.Check(); err != nil {
		t.Error(err)
	}
}

// TestStopForcesWhatOutlivesTheGrace keeps connections past the stop's
// context: Stop closes them then and counts them in its *StopError.
func TestStopForcesWhatOutlivesTheGrace(t *testing.T) {
	h := newDrainHandler()
	e, addrs := launchEngine(t, h, []string{"tcp://127.0.0.1:0"})
	const n = 5
	for range n {
		c := dial(t, addrs[0])
		if _, err := c.Write([]byte("request\n")); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, func() bool { return h.requests.Load() == n })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := e.Stop(ctx)
	var se *StopError
	if !errors.As(err, &se) || se.Forced != n || se.Dropped != 0 || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Stop = %v; want a *StopError forcing %d connections, wrapping context.DeadlineExceeded", err, n)
	}
	for range n {
		if err := waitClose(t, h.closes); !errors.Is(err, ErrEngineStopped) {
			t.Fatalf("OnClose: %v; want ErrEngineStopped", err)
		}
	}
}

// dialOnStopHandler answers a connection, when the stop tells it, with what
// an upstream it dials then sends: a stopping loop still dials.
type dialOnStopHandler struct {
	BaseHandler
	upstream string
	client   atomic.Pointer[Conn]
	errs     chan error
}

func (h *dialOnStopHandler) OnOpen(c *Conn) ([]byte, Action) {
	if c.Dialed() {
		h.client.Load().Write([]byte("via upstream\n"))
		h.client.Load().Close()
		return nil, Close
	}
	h.client.Store(c)
	return nil, None
}

func (h *dialOnStopHandler) OnStop(c *Conn) Action {
	if c.Dialed() {
		return None
	}
	if _, err := c.Loop().Dial("tcp", h.upstream, nil); err != nil {
		h.errs <- err
		return Close
	}
	return None
}

func (h *dialOnStopHandler) OnClose(c *Conn, err error) Action {
	if err != nil {
		h.errs <- err
	}
	return None
}

func TestStopLetsLoopsDial(t *testing.T) {
	up, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	go func() {
		if c, err := up.Accept(); err == nil {
			io.Copy(io.Discard, c)
			c.Close()
		}
	}()
	h := &dialOnStopHandler{upstream: up.Addr().String(), errs: make(chan error, 8)}
	e, addrs := launchEngine(t, h, []string{"tcp://127.0.0.1:0"})
	c := dial(t, addrs[0])
	waitFor(t, func() bool { return h.client.Load() != nil })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := e.Stop(ctx); err != nil {
		t.Fatalf("Stop = %v", err)
	}
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	got, err := io.ReadAll(c)
	if string(got) != "via upstream\n" || err != nil {
		t.Fatalf("client read %q, %v", got, err)
	}
	select {
	case err := <-h.errs:
		t.Fatal(err)
	default:
	}
}
