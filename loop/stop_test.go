package loop

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/sockloop/sockloop/internal/leaktest"
)

func TestStopClosesEverything(t *testing.T) {
	base := leaktest.Take()
	fds := leaktest.OpenFDs()
	h := newEchoHandler()
	path := tempSocket(t)
	e, err := New(h, WithLoops(2), WithWorkerPool(2), WithLogger(quietLogger), WithEdgeTriggered(testEdge), WithBackend(testBackend))
	if err != nil {
		t.Fatal(err)
	}
	var addrs []net.Addr
	for _, a := range []string{"tcp://127.0.0.1:0", "udp://127.0.0.1:0", "unix://" + path} {
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
	for range 10 {
		for _, a := range []net.Addr{addrs[0], addrs[2]} {
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
	for range 20 {
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
	if _, err := net.Dial("unix", path); err == nil {
		t.Error("the Unix listener's socket file still accepts connections")
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
