package loop

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sockloop/sockloop/internal/leaktest"
	"github.com/sockloop/sockloop/poller"

	"github.com/sockloop/sockloop/internal/testnet"
)

// ringEngine starts an engine on the io_uring backend, skipping the test
// where the kernel offers no completion path.
func ringEngine(t *testing.T, h Handler, opts ...Option) (*Engine, net.Addr) {
	t.Helper()
	opts = append([]Option{WithBackend(poller.IOURing)}, opts...)
	e, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, opts...)
	if e.Backend() != poller.IOURing || e.loops[0].ops == nil {
		t.Skip("no io_uring completion path on this kernel")
	}
	return e, addrs[0]
}

// ringProbe is an echo handler that records whether connections were served
// on the completion path.
type ringProbe struct {
	echoHandler
	ring, other atomic.Int32
}

func (h *ringProbe) OnOpen(c *Conn) ([]byte, Action) {
	if _, ok := c.drv.(ringDriver); ok && c.recvByOp() {
		h.ring.Add(1)
	} else {
		h.other.Add(1)
	}
	return nil, None
}

func TestRingServesStreamConnections(t *testing.T) {
	h := &ringProbe{echoHandler: *newEchoHandler()}
	_, addr := ringEngine(t, h)
	c := dial(t, addr)
	if err := echoRoundTrip(c, 3, 1<<20); err != nil {
		t.Fatal(err)
	}
	if h.ring.Load() != 1 || h.other.Load() != 0 {
		t.Fatalf("%d connections on the completion path, %d not; want 1 and 0", h.ring.Load(), h.other.Load())
	}
}

// echoAtOnce runs clients echo round trips of size bytes at the same time
// and fails the test for each that goes wrong or takes over 30 s.
func echoAtOnce(t *testing.T, addr net.Addr, clients, size int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", addr.String())
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(30 * time.Second))
			errs <- echoRoundTrip(c, uint64(i), size)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// TestURingFeaturesOff serves echoes with each part of the io_uring backend
// turned off: readiness polls instead of the completion path, and
// cooperative task work instead of DEFER_TASKRUN.
func TestURingFeaturesOff(t *testing.T) {
	for _, off := range []poller.URingFeature{poller.URingCompletion, poller.URingDeferTaskrun} {
		t.Run(fmt.Sprintf("off=%#x", off), func(t *testing.T) {
			e, addrs := startEngine(t, newEchoHandler(), []string{"tcp://127.0.0.1:0"},
				WithBackend(poller.IOURing), WithURingOff(off), WithLoops(1))
			if e.Backend() != poller.IOURing {
				t.Skip("no io_uring on this kernel")
			}
			if got := e.loops[0].ops != nil; got != (off&poller.URingCompletion == 0) {
				t.Fatalf("completion path %v with URingOff %#x", got, off)
			}
			echoAtOnce(t, addrs[0], 20, 64<<10)
		})
	}
}

// TestRingBufferExhaustion gives the loop four provided buffers for 64
// connections sending at once: receives run out of buffers and are armed
// again as buffers come back; every echo arrives whole and nothing stalls.
func TestRingBufferExhaustion(t *testing.T) {
	old := ringBuffers
	ringBuffers = 4
	t.Cleanup(func() { ringBuffers = old })
	e, addr := ringEngine(t, newEchoHandler(), WithLoops(1), WithReadBufferSize(1024))
	const clients, size = 64, 128 << 10
	echoAtOnce(t, addr, clients, size)
	l := e.loops[0]
	starved := 0
	done := make(chan struct{})
	l.Submit(func() { starved = l.starvations; close(done) })
	<-done
	if starved == 0 {
		t.Error("no receive ran out of buffers: the test did not exercise exhaustion")
	}
}

// TestRingCompletionQueueOverflow gives the loop a ring of 4 submission and
// 32 completion entries for 100 connections echoing at once: operations do
// not fit one submission, completions overflow into the kernel's backlog,
// and still every echo arrives whole and nothing stalls.
func TestRingCompletionQueueOverflow(t *testing.T) {
	old := ringEntries
	ringEntries = 4
	t.Cleanup(func() { ringEntries = old })
	e, addr := ringEngine(t, newEchoHandler(), WithLoops(1))
	const clients, size = 100, 64 << 10
	echoAtOnce(t, addr, clients, size)
	l := e.loops[0]
	var overflows uint64
	done := make(chan struct{})
	l.Submit(func() { overflows = poller.Overflows(l.poll); close(done) })
	<-done
	if overflows == 0 {
		t.Error("the completion queue never overflowed: the test did not exercise it")
	}
}

// TestRingStopCancelsOperations stops an engine while every connection has a
// receive armed and a send blocked on a peer that does not read: Stop
// cancels them, waits for their completions, and leaves no descriptor open;
// the output each had to drop is reported, and each peer is reset.
func TestRingStopCancelsOperations(t *testing.T) {
	fds := leaktest.OpenFDs()
	h := &floodHandler{opened: make(chan *Conn, 16), closes: make(chan error, 16)}
	e, err := New(h, WithLoops(1), WithBackend(poller.IOURing), WithLogger(quietLogger),
		WithCloseLinger(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	addr, err := e.Listen("tcp://127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if e.loops[0].ops == nil {
		e.Stop(context.Background())
		t.Skip("no io_uring completion path on this kernel")
	}
	var clients []net.Conn
	for range 8 {
		c, err := net.Dial("tcp", addr.String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		clients = append(clients, c)
		c.Write([]byte("go"))
	}
	for range clients {
		<-h.opened
	}
	// Every connection has megabytes queued and a send in the kernel.
	waitFor(t, func() bool { return h.flooded.Load() == int32(len(clients)) })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var se *StopError
	if err := e.Stop(ctx); !errors.As(err, &se) || se.Dropped != len(clients) || !errors.Is(err, ErrCloseLinger) {
		t.Fatalf("Stop = %v; want a *StopError of %d connections wrapping ErrCloseLinger", err, len(clients))
	}
	for range clients {
		var dropped *OutputDroppedError
		if err := <-h.closes; !errors.As(err, &dropped) {
			t.Errorf("OnClose err = %v, want an *OutputDroppedError", err)
		}
	}
	if h.zombies.Load() == 0 {
		t.Error("no connection closed with operations in flight: the test did not exercise cancellation")
	}
	if got := leaktest.OpenFDs(); got > fds+len(clients) {
		t.Errorf("open fds: %d before, %d after Stop (clients hold %d): %v", fds, got, len(clients), leaktest.FDTargets())
	}
	for _, c := range clients {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.Copy(io.Discard, c); !errors.Is(err, errConnReset) {
			t.Errorf("client: %v, want a reset: the server dropped output", err)
		}
	}
}

// floodHandler answers a connection's first bytes with 8 MiB, more than the
// socket buffers take, and counts connections closed with operations in flight.
type floodHandler struct {
	BaseHandler
	opened           chan *Conn
	closes           chan error
	flooded, zombies atomic.Int32
}

func (h *floodHandler) OnOpen(c *Conn) ([]byte, Action) {
	h.opened <- c
	return nil, None
}

func (h *floodHandler) OnTraffic(c *Conn) Action {
	c.Discard(-1)
	if c.Context() == nil {
		c.SetContext(true)
		c.Write(make([]byte, 8<<20))
		h.flooded.Add(1)
	}
	return None
}

func (h *floodHandler) OnClose(c *Conn, err error) Action {
	if c.ring.inflight > 0 {
		h.zombies.Add(1)
	}
	h.closes <- err
	return None
}

// TestRingDialUsesConnectOperation dials from the engine on the completion
// path: the connection connects with a connect operation and echoes, and a
// dial to a closed port reports the refusal to OnClose.
func TestRingDialUsesConnectOperation(t *testing.T) {
	h := &ringProbe{echoHandler: *newEchoHandler()}
	e, addr := ringEngine(t, h, WithLoops(1))
	c, err := e.Dial("tcp", addr.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return h.ring.Load() == 2 }) // the dialed side and the accepted one
	ok := make(chan bool, 1)
	c.Loop().Submit(func() { ok <- c.ring.flags&ringDialed != 0 && c.state == stateOpen })
	if !<-ok {
		t.Fatal("the dialed connection did not connect with a connect operation")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	if _, err := e.Dial("tcp", closed, nil); err != nil {
		t.Fatal(err)
	}
	if err := waitClose(t, h.closes); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("OnClose err = %v, want ECONNREFUSED", err)
	}
}

// TestRingStopCancelsConnect stops an engine while a dial's connect
// operation waits on a listener whose backlog is full (its SYNs go
// unanswered): Stop cancels the operation and the dial hears of it.
func TestRingStopCancelsConnect(t *testing.T) {
	target := testnet.BlackHole(t)
	h := newEchoHandler()
	e, err := New(h, WithLoops(1), WithBackend(poller.IOURing), WithLogger(quietLogger))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if e.loops[0].connector == nil {
		e.Stop(context.Background())
		t.Skip("no io_uring completion path on this kernel")
	}
	c, err := e.Dial("tcp", target, nil)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	pending := make(chan bool, 1)
	c.Loop().Submit(func() { pending <- c.state == stateConnecting && c.ring.inflight == 1 })
	if !<-pending {
		t.Skip("the connect finished or failed before Stop: the backlog did not hold it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.Stop(ctx); err != nil {
		t.Fatalf("Stop = %v", err)
	}
	if err := waitClose(t, h.closes); !errors.Is(err, ErrEngineStopped) {
		t.Fatalf("OnClose err = %v, want ErrEngineStopped", err)
	}
}

// TestSpliceHalfCloseDeliversEverything relays through spliced connections
// a client that sends 8 MiB and half-closes, to an upstream that echoes and
// closes: the hang-up the upstream's close causes, which may come while the
// relay is not reading it (its peer's output is full), must not lose the
// echo's tail (on io_uring it once closed the upstream early).
func TestSpliceHalfCloseDeliversEverything(t *testing.T) {
	up := netEcho(t)
	h := &spliceRelay{upstream: up.String(), link: (*Conn).Splice, errs: make(chan error, 16)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithLoops(1))
	for i := range 6 {
		c, err := net.Dial("tcp", addrs[0].String())
		if err != nil {
			t.Fatal(err)
		}
		data := pattern(8 << 20)
		data[0] = byte(i)
		go func() {
			c.Write(data)
			c.(*net.TCPConn).CloseWrite()
		}()
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		got, err := io.ReadAll(c)
		c.Close()
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("run %d: %d of %d bytes came back (%v)", i, len(got), len(data), err)
		}
	}
}
