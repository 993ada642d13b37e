package loop

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// TestStatsCountTraffic checks the counters of an echo engine against what
// its clients did: every byte in came back out, every connection was
// accepted once and closed in order, and the snapshot's names are stable.
func TestStatsCountTraffic(t *testing.T) {
	h := newEchoHandler()
	e, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithLoops(2))
	const conns, size = 8, 100 << 10
	msg := bytes.Repeat([]byte("stats!"), size/6)
	for range conns {
		c := dial(t, addrs[0])
		go c.Write(msg)
		got := make([]byte, len(msg))
		if _, err := io.ReadFull(c, got); err != nil {
			t.Fatal(err)
		}
		c.Close()
		if err := waitClose(t, h.closes); err != nil {
			t.Fatalf("close: %v", err)
		}
	}
	want := uint64(conns * len(msg))
	waitFor(t, func() bool {
		s := e.Stats()
		return s.ClosedOrderly == conns && s.BytesOut == want
	})
	s := e.Stats()
	if s.Accepted != conns || s.Open != 0 || s.BytesIn != want || s.BytesOut != want {
		t.Fatalf("stats %+v: want %d accepted, none open, %d bytes each way", s, conns, want)
	}
	if s.ClosedReset+s.ClosedFailed+s.ClosedTimeout+s.ClosedStopped+s.OutputDropped != 0 {
		t.Fatalf("stats %+v: closes other than orderly", s)
	}
	var perLoop uint64
	for _, l := range e.Loops() {
		perLoop += l.Stats().Accepted
	}
	if perLoop != conns {
		t.Fatalf("loops accepted %d in all, the engine says %d", perLoop, conns)
	}
	names := map[string]uint64{}
	for name, v := range s.All() {
		if _, dup := names[name]; dup {
			t.Fatalf("All yields %q twice", name)
		}
		names[name] = v
	}
	if len(names) != int(numCounters)+1 || names["accepted"] != conns || names["bytes_in"] != want || names["open"] != 0 {
		t.Fatalf("All: %v", names)
	}
}

// TestStatsCountCloseReasons closes connections by a peer's reset, an idle
// timeout and the engine's stop, and fails a dial; each lands in its counter.
func TestStatsCountCloseReasons(t *testing.T) {
	h := &idleSecondHandler{echoHandler: newEchoHandler()}
	e, addrs := launchEngine(t, h, []string{"tcp://127.0.0.1:0"})

	reset := dial(t, addrs[0]).(*net.TCPConn)
	if err := echoRoundTrip(reset, 1, 10); err != nil { // open, with a receive armed
		t.Fatal(err)
	}
	reset.SetLinger(0)
	reset.Close()
	if err := waitClose(t, h.closes); !errors.Is(err, errConnReset) {
		t.Fatalf("reset: OnClose got %v", err)
	}
	idle := dial(t, addrs[0])
	if err := waitClose(t, h.closes); !errors.Is(err, ErrIdleTimeout) {
		t.Fatalf("idle: OnClose got %v", err)
	}
	idle.Close()

	// A port nobody listens on: bound and closed at once.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := ln.Addr().String()
	ln.Close()
	if _, err := e.Dial("tcp", refused, nil); err != nil {
		t.Fatal(err)
	}
	if err := waitClose(t, h.closes); err == nil {
		t.Fatal("a refused dial closed without an error")
	}

	held := dial(t, addrs[0])
	defer held.Close()
	waitFor(t, func() bool { return e.Stats().Open == 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	s := e.Stats()
	if s.ClosedReset != 1 || s.ClosedTimeout != 1 || s.IdleTimeouts != 1 || s.DialFailed != 1 || s.ClosedStopped != 1 || s.Dialed != 0 {
		t.Fatalf("stats %+v: want one reset, one idle timeout, one failed dial, one stopped", s)
	}
	if s.ClosedOrderly+s.ClosedFailed != 0 || s.Accepted != 3 || s.Open != 0 {
		t.Fatalf("stats %+v: want 3 accepted, no other closes, none open", s)
	}
}

// idleSecondHandler echoes, and gives the second connection it opens a
// short idle timeout.
type idleSecondHandler struct {
	*echoHandler
	opened atomic.Int32
}

func (h *idleSecondHandler) OnOpen(c *Conn) ([]byte, Action) {
	if h.opened.Add(1) == 2 {
		c.SetIdleTimeout(50 * time.Millisecond)
	}
	return nil, None
}

// TestStatsCountBackpressure fills a connection whose peer does not read:
// reading stops once, and Paused says so.
func TestStatsCountBackpressure(t *testing.T) {
	h := newEchoHandler()
	e, addrs := launchEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithWriteWatermarks(16<<10, 64<<10), WithCloseLinger(100*time.Millisecond))
	c := dial(t, addrs[0])
	writeUntilStalled(t, c)
	waitFor(t, func() bool { return e.Stats().Paused >= 1 })
	c.Close()
	// The echo still queued for the peer that never read is dropped, at
	// the peer's reset or, where the reset goes unseen (Wine), when the
	// close's linger runs out.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var se *StopError
	if err := e.Stop(ctx); err != nil && !(errors.As(err, &se) && se.Forced == 0 && errors.Is(err, ErrCloseLinger)) {
		t.Fatalf("Stop = %v", err)
	}
}

// BenchmarkPublish is the end of a busy turn: two counters moved, the
// rest compared and left alone.
func BenchmarkPublish(b *testing.B) {
	e := newTestEngine(b, newEchoHandler())
	defer e.Stop(context.Background())
	l := e.Loops()[0]
	for b.Loop() {
		l.count(cBytesIn, 64)
		l.count(cBytesOut, 64)
		l.publish()
	}
}
