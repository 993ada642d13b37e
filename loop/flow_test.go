package loop

import (
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// dialWriter dials from inside its loop and writes while the dial is still
// connecting; OnOpen's greeting must still come first.
type dialWriter struct {
	BaseHandler
	target string
	errs   chan error
}

func (h *dialWriter) OnOpen(c *Conn) ([]byte, Action) { return []byte("first|"), None }

func TestOnOpenDataLeadsDialedConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	h := &dialWriter{target: ln.Addr().String(), errs: make(chan error, 1)}
	e, _ := startEngine(t, h, nil)
	l := e.Loops()[0]
	l.Submit(func() {
		c, err := l.Dial("tcp", h.target, nil)
		if err == nil {
			_, err = c.Write([]byte("second"))
		}
		h.errs <- err
	})
	if err := <-h.errs; err != nil {
		t.Fatal(err)
	}
	peer, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	buf := make([]byte, len("first|second"))
	if _, err := io.ReadFull(peer, buf); err != nil || string(buf) != "first|second" {
		t.Fatalf("read %q, %v; want the greeting first", buf, err)
	}
}

func TestOnCloseEffectsReachOtherConnections(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := ln.Addr().String()
	ln.Close() // the relay's upstream refuses
	h := &relayHandler{upstream: refused, dialErrs: make(chan error, 1)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithLoops(1))
	c := dial(t, addrs[0])
	// The failed dial's OnClose closes the client's side; nothing else
	// happens on the loop, so only a settle after the event delivers it.
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	if n, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("client read %d, %v; want EOF once the upstream dial failed", n, err)
	}
}

// pausingEcho pauses reading each connection on open and echoes only after
// the test resumes it.
type pausingEcho struct {
	BaseHandler
	conns     chan *Conn
	resumed   atomic.Bool
	early     atomic.Bool
	drains    atomic.Int32
	bigOnOpen []byte
}

func (h *pausingEcho) OnOpen(c *Conn) ([]byte, Action) {
	if h.bigOnOpen != nil {
		return h.bigOnOpen, None
	}
	c.PauseRead()
	h.conns <- c
	return nil, None
}

func (h *pausingEcho) OnTraffic(c *Conn) Action {
	if !h.resumed.Load() {
		h.early.Store(true)
	}
	b, _ := c.Next(-1)
	c.Write(b)
	return None
}

func (h *pausingEcho) OnDrain(c *Conn) Action { h.drains.Add(1); return None }

func TestPauseReadHoldsInputUntilResumed(t *testing.T) {
	h := &pausingEcho{conns: make(chan *Conn, 1)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
	client := dial(t, addrs[0])
	c := <-h.conns
	client.Write([]byte("wait for it"))
	time.Sleep(50 * time.Millisecond) // a chance to read early, which must not be taken
	h.resumed.Store(true)
	c.Loop().Submit(c.ResumeRead)
	buf := make([]byte, len("wait for it"))
	if _, err := io.ReadFull(client, buf); err != nil || string(buf) != "wait for it" {
		t.Fatalf("echo %q, %v", buf, err)
	}
	if h.early.Load() {
		t.Fatal("OnTraffic ran while reading was paused")
	}
}

func TestOnDrainAfterHighWater(t *testing.T) {
	h := &pausingEcho{bigOnOpen: pattern(4 << 20)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithWriteWatermarks(4<<10, 16<<10))
	client := dial(t, addrs[0])
	if _, err := io.ReadFull(client, make([]byte, 4<<20)); err != nil {
		t.Fatal(err)
	}
	// The reply queued far above the high mark; once read, it drained.
	deadline := time.Now().Add(20 * time.Second)
	for h.drains.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := h.drains.Load(); got != 1 {
		t.Fatalf("OnDrain ran %d times, want once", got)
	}
}

// holder keeps its input until the connection ends both ways, as a relay
// whose other side is full does.
type holder struct {
	BaseHandler
	final chan string
}

func (h *holder) OnTraffic(c *Conn) Action {
	if c.rd&readEOF != 0 && c.wr&writeShut != 0 {
		b, _ := c.Next(-1)
		h.final <- string(b)
	}
	return None
}

func (h *holder) OnReadEOF(c *Conn) Action {
	c.CloseWrite()
	return None
}

func TestHeldInputGetsALastLookBeforeClose(t *testing.T) {
	h := &holder{final: make(chan string, 1)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
	c := dial(t, addrs[0]).(*net.TCPConn)
	c.Write([]byte("held back"))
	c.CloseWrite()
	if _, err := io.ReadAll(c); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-h.final:
		if got != "held back" {
			t.Fatalf("last OnTraffic saw %q", got)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("held input was dropped without a last OnTraffic")
	}
}

// stopDialer dials while the engine is stopping.
type stopDialer struct {
	BaseHandler
	closes chan error
}

func (h *stopDialer) OnClose(c *Conn, err error) Action { h.closes <- err; return None }

func TestDialWhileStoppingReportsClose(t *testing.T) {
	network, address := "tcp", "127.0.0.1:0"
	if haveUnixSockets() {
		network, address = "unix", tempSocket(t)
	}
	ln, err := net.Listen(network, address)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	h := &stopDialer{closes: make(chan error, 1)}
	e, _ := startEngine(t, h, nil, WithLoops(1))
	l := e.Loops()[0]
	done := make(chan error, 1)
	l.Submit(func() {
		l.beginStop() // as Stop does first
		_, err := l.Dial(network, ln.Addr().String(), nil)
		done <- err
	})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := waitClose(t, h.closes); err != ErrEngineStopped {
		t.Fatalf("OnClose err = %v, want ErrEngineStopped", err)
	}
}

// lateReader records what it reads after being resumed.
type lateReader struct {
	BaseHandler
	conns chan *Conn
	got   chan string
}

func (h *lateReader) OnOpen(c *Conn) ([]byte, Action) {
	c.PauseRead()
	h.conns <- c
	return nil, None
}

func (h *lateReader) OnTraffic(c *Conn) Action {
	b, _ := c.Next(-1)
	h.got <- string(b)
	return None
}

func (h *lateReader) OnReadEOF(c *Conn) Action { return None }

func TestHangupWhilePausedKeepsUnreadInput(t *testing.T) {
	h := &lateReader{conns: make(chan *Conn, 1), got: make(chan string, 4)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
	client := dial(t, addrs[0]).(*net.TCPConn)
	c := <-h.conns
	client.Write([]byte("late data"))
	client.CloseWrite()
	// Our side shuts down too: both directions have ended, so the poller
	// reports a hang-up while the input is still unread in the kernel.
	c.Loop().Submit(func() { c.CloseWrite() })
	if _, err := io.ReadAll(client); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // let the hang-up be seen while paused
	c.Loop().Submit(c.ResumeRead)
	select {
	case got := <-h.got:
		if got != "late data" {
			t.Fatalf("read %q after resuming", got)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the input that waited in the kernel was lost at the hang-up")
	}
}

// greetAndEnd half-closes or closes a connection in OnOpen and returns a
// greeting: out is written before anything else, so the peer reads it
// before the end either asked for.
type greetAndEnd struct {
	BaseHandler
	close bool
}

func (h *greetAndEnd) OnOpen(c *Conn) ([]byte, Action) {
	if h.close {
		c.Close()
	} else {
		c.CloseWrite()
	}
	return []byte("hello"), None
}

func TestOnOpenDataGoesOutBeforeAnEndAskedInOnOpen(t *testing.T) {
	for _, closing := range []bool{false, true} {
		_, addrs := startEngine(t, &greetAndEnd{close: closing}, []string{"tcp://127.0.0.1:0"})
		c := dial(t, addrs[0])
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		got, err := io.ReadAll(c)
		c.Close()
		if err != nil || string(got) != "hello" {
			t.Errorf("close %v: read %q, %v; want the greeting, then the end", closing, got, err)
		}
	}
}
