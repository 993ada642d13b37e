package loop

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/sockloop/sockloop/internal/leaktest"
)

func TestStopClosesEverything(t *testing.T) {
	base := leaktest.Take()
	fds := leaktest.OpenFDs()
	h := newEchoHandler()
	urls := []string{"tcp://127.0.0.1:0", "udp://127.0.0.1:0"}
	if haveUnixSockets() {
		urls = append(urls, "unix://"+tempSocket(t))
	}
	e, err := New(h, WithLoops(2), WithWorkerPool(2), WithLogger(quietLogger), WithEdgeTriggered(testEdge), WithBackend(testBackend), WithURingOff(testURingOff))
	if err != nil {
		t.Fatal(err)
	}
	var addrs []net.Addr
	for _, a := range urls {
		ba, err := e.Listen(a)
		if err != nil {
			t.Fatal(err)
		}
		addrs = append(addrs, ba)
	}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	var clients []net.Conn
	streams := []net.Addr{addrs[0]}
	if len(addrs) > 2 {
		streams = append(streams, addrs[2])
	}
	for range 10 {
		for _, a := range streams {
			c, err := net.Dial(a.Network(), a.String())
			if err != nil {
				t.Fatal(err)
			}
			if err := echoRoundTrip(c, 1, 100); err != nil {
				t.Fatal(err)
			}
			clients = append(clients, c)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.Stop(ctx); err != nil {
		t.Fatalf("Stop = %v", err)
	}
	for _, c := range clients {
		if _, err := c.Read(make([]byte, 1)); err != io.EOF {
			t.Errorf("client read after Stop = %v, want EOF", err)
		}
		c.Close()
	}
	for range clients {
		if err := <-h.closes; err != ErrEngineStopped {
			t.Errorf("OnClose err = %v, want ErrEngineStopped", err)
		}
	}
	// Every descriptor of the engine is closed when Stop returns; goroutines
	// of the engine (loops, workers) may take a moment to be reaped.
	if got := leaktest.OpenFDs(); got > fds {
		t.Errorf("open fds: %d before the engine, %d after Stop: %v", fds, got, leaktest.FDTargets())
	}
	if err := base.Check(); err != nil {
		t.Error(err)
	}
	if _, err := net.Dial(addrs[0].Network(), addrs[0].String()); err == nil {
		t.Error("the TCP listener still accepts connections after Stop")
	}
	if len(addrs) > 2 {
		if _, err := net.Dial("unix", addrs[2].String()); err == nil {
			t.Error("the Unix listener's socket file still accepts connections")
		}
	}
}

func TestStopBeforeStart(t *testing.T) {
	fds := leaktest.OpenFDs()
	e, err := New(BaseHandler{}, WithLoops(3))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Listen("tcp://127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	if err := e.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := leaktest.OpenFDs(); got != fds {
		t.Fatalf("open fds %d before New, %d after Stop", fds, got)
	}
	if err := e.Start(context.Background()); err != ErrEngineRunning {
		t.Fatalf("Start after Stop = %v, want ErrEngineRunning", err)
	}
}

func TestContextEndStopsEngine(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- Serve(ctx, newEchoHandler(), "tcp://127.0.0.1:0", WithLoops(1)) }()
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("Serve after cancel = %v, want nil", err)
	}
}

// closeRecorder replaces closeFD for a test and keeps every failed close.
type closeRecorder struct {
	mu     sync.Mutex
	failed []error
}

func recordCloses(t *testing.T) *closeRecorder {
	r := &closeRecorder{}
	closeFD = func(fd int) error {
		err := sysClose(fd)
		if err != nil {
			r.mu.Lock()
			r.failed = append(r.failed, fmt.Errorf("close(%d): %w", fd, err))
			r.mu.Unlock()
		}
		return err
	}
	t.Cleanup(func() { closeFD = sysClose })
	return r
}

// A descriptor closed twice may by then belong to a connection another
// loop (or the program) just opened, so every close must find its
// descriptor open: closes made by the peer's FIN, by a reset, by the server
// and by Stop.
func TestNoDescriptorClosedTwice(t *testing.T) {
	r := recordCloses(t)
	h := newEchoHandler()
	e, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
	const conns = 40
	for i := range conns {
		c := dial(t, addrs[0])
		if err := echoRoundTrip(c, uint64(i), 1+i*997); err != nil {
			t.Fatal(err)
		}
		switch i % 3 {
		case 0:
			c.Close() // FIN
		case 1:
			c.(*net.TCPConn).SetLinger(0) // RST
			c.Close()
		default:
			defer c.Close() // still open at Stop
		}
	}
	for range conns - conns/3 {
		waitClose(t, h.closes)
	}
	if err := e.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, err := range r.failed {
		t.Error(err)
	}
}

// TestStopReportsDroppedOutput stops an engine whose connection cannot
// flush to a peer that does not read: the stop's context ends first, and
// Stop says how many connections closed with output unsent.
func TestStopReportsDroppedOutput(t *testing.T) {
	h := &bigReplyHandler{reply: pattern(32 << 20), then: None, closes: make(chan error, 1)}
	e, addrs := launchEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithLoops(1))
	c := dial(t, addrs[0])
	if _, err := c.Write([]byte("go")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(c, make([]byte, 1)); err != nil { // the reply is under way
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := e.Stop(ctx)
	var se *StopError
	if !errors.As(err, &se) || se.Dropped != 1 || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Stop = %v; want a *StopError of 1 connection wrapping context.DeadlineExceeded", err)
	}
	var dropped *OutputDroppedError
	if err := waitClose(t, h.closes); !errors.As(err, &dropped) || !errors.Is(err, ErrEngineStopped) {
		t.Fatalf("OnClose err = %v; want an *OutputDroppedError wrapping ErrEngineStopped", err)
	}
}
