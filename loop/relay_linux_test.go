package loop

import (
	"bytes"
	"io"
	"net"
	"os"
	"sync/atomic"
	"testing"
	"time"
)

// TestRelayTakesThePipeForBulk sends small messages one at a time, then a
// bulk transfer, then small messages again through a relay: it must pipe the
// bulk, copy the small messages after it, and lose or reorder nothing.
func TestRelayTakesThePipeForBulk(t *testing.T) {
	var toPipe, toCopy atomic.Int32
	relayPathHook = func(piping bool) {
		if piping {
			toPipe.Add(1)
		} else {
			toCopy.Add(1)
		}
	}
	t.Cleanup(func() { relayPathHook = nil })
	up := netEcho(t)
	h := &spliceRelay{upstream: up.String(), link: (*Conn).Relay, errs: make(chan error, 16)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithWriteWatermarks(16<<10, 64<<10))
	c, err := net.Dial("tcp", addrs[0].String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pingPong := func(phase string) {
		t.Helper()
		msg, got := make([]byte, 64), make([]byte, 64)
		for i := range 40 {
			for j := range msg {
				msg[j] = byte(i + j)
			}
			if _, err := c.Write(msg); err != nil {
				t.Fatalf("%s: %v", phase, err)
			}
			if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, msg) {
				t.Fatalf("%s: message %d came back as %q, %v", phase, i, got, err)
			}
		}
	}
	pingPong("small messages before the bulk")
	if n := toPipe.Load(); n != 0 {
		t.Fatalf("the relay took the pipe %d times for 64-byte messages", n)
	}
	if err := echoRoundTrip(c, 1, 16<<20); err != nil {
		t.Fatal(err)
	}
	if toPipe.Load() == 0 {
		t.Fatal("the relay copied 16 MiB of bulk instead of piping it")
	}
	piped := toCopy.Load()
	pingPong("small messages after the bulk")
	if toCopy.Load() == piped {
		t.Fatal("the relay kept piping 64-byte messages after the bulk")
	}
	if n := h.traffic.Load(); n != 0 {
		t.Fatalf("OnTraffic ran %d times for relayed connections", n)
	}
}

func TestSpliceRejectsBadPairs(t *testing.T) {
	got := make(chan error, 3)
	h := &pairChecker{got: got}
	_, addrs := startEngine(t, h, []string{"udp://127.0.0.1:0", "tcp://127.0.0.1:0"})
	c := dial(t, addrs[1])
	c.Write([]byte("x"))
	for range 2 {
		if err := <-got; err == nil {
			t.Error("a bad Splice succeeded")
		}
	}
}

// pairChecker tries splicing a connection to itself and twice to one peer,
// once: the peer it dials is this engine's.
type pairChecker struct {
	BaseHandler
	got  chan error
	done atomic.Bool
}

func (h *pairChecker) OnTraffic(c *Conn) Action {
	if h.done.Swap(true) {
		return None
	}
	h.got <- c.Splice(c)
	up, err := c.Loop().Dial("tcp", c.LocalAddr().String(), nil)
	if err != nil {
		h.got <- err
		return None
	}
	c.Splice(up)
	h.got <- c.Splice(up) // c already sends to up
	up.Abort(nil)         // done with it; Close would wait to send what c relayed
	return None
}

// TestSplicePipesReused runs spliced connections one after another on one
// loop: each must get its bytes whole through pipes that earlier ones gave
// back, and the loop must keep no more spare pipes than its bound.
func TestSplicePipesReused(t *testing.T) {
	up := netEcho(t)
	h := &spliceRelay{upstream: up.String(), link: (*Conn).Splice, errs: make(chan error, 16)}
	e, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithLoops(1), WithWriteWatermarks(16<<10, 64<<10))
	for i := range 12 {
		c, err := net.Dial("tcp", addrs[0].String())
		if err != nil {
			t.Fatal(err)
		}
		if err := echoRoundTrip(c, uint64(i), 1<<20+i*4099); err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		c.Close()
		for e.CountConnections() > 0 {
			time.Sleep(time.Millisecond)
		}
	}
	spares := make(chan int, 1)
	l := e.Loops()[0]
	if err := l.Submit(func() { spares <- len(l.pipes) }); err != nil {
		t.Fatal(err)
	}
	if n := <-spares; n == 0 || n > spareRelayPipes {
		t.Fatalf("%d spare pipes after 12 spliced connections; want some, at most %d", n, spareRelayPipes)
	}
}

// TestDialTakesSparePipesDescriptors: out of descriptors, a loop's dial
// closes the spare pipes its relays left and gets its socket with theirs.
func TestDialTakesSparePipesDescriptors(t *testing.T) {
	up := netEcho(t)
	h := &spliceRelay{upstream: up.String(), link: (*Conn).Splice, errs: make(chan error, 16)}
	e, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithLoops(1))
	for i := range 2 {
		c, err := net.Dial("tcp", addrs[0].String())
		if err != nil {
			t.Fatal(err)
		}
		if err := echoRoundTrip(c, uint64(i), 64<<10); err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		c.Close()
		for deadline := time.Now().Add(10 * time.Second); e.CountConnections() > 0; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d connections still open 10 s after the client closed", e.CountConnections())
			}
		}
	}
	// The echo server closes its side when it sees the end: wait for every
	// descriptor of those connections to be gone, or one freed after the
	// table is full would let the dial succeed without the spare pipes'.
	settleDescriptors(t)
	l := e.Loops()[0]
	spares := func() int {
		n := make(chan int, 1)
		if err := l.Submit(func() { n <- len(l.pipes) }); err != nil {
			t.Fatal(err)
		}
		return <-n
	}
	if spares() == 0 {
		t.Fatal("no spare pipes after two spliced connections")
	}
	lowerDescriptorLimit(t)
	fillDescriptors(t)
	dialed := make(chan error, 1)
	l.Submit(func() {
		c, err := l.Dial("tcp", up.String(), "no relay")
		if err == nil {
			c.Abort(nil)
		}
		dialed <- err
	})
	if err := <-dialed; err != nil {
		t.Fatalf("dial with no descriptor free but the spare pipes': %v", err)
	}
	if n := spares(); n != 0 {
		t.Fatalf("%d spare pipes left after a dial that needed their descriptors", n)
	}
}

// settleDescriptors waits (bounded) until this process's count of open
// descriptors has not changed for 100 ms.
func settleDescriptors(t *testing.T) {
	t.Helper()
	count := func() int {
		ents, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Fatal(err)
		}
		return len(ents)
	}
	last, since := count(), time.Now()
	for deadline := time.Now().Add(10 * time.Second); time.Since(since) < 100*time.Millisecond; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the count of open descriptors never settled")
		}
		if n := count(); n != last {
			last, since = n, time.Now()
		}
	}
}
