package loop

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestParity is one table of behaviours that every backend must share. The
// package's tests pick the backend and its mode from the environment
// (helpers_test.go), and CI runs the package once per mode, so each mode runs
// the whole table: epoll level- and edge-triggered, io_uring with and
// without its completion path, and IOCP under Wine. A case that cannot hold
// on a platform skips there and says why; none asserts on timing.
func TestParity(t *testing.T) {
	t.Logf("mode: %s", parityMode())
	for _, tc := range []struct {
		name string
		run  func(t *testing.T)
	}{
		{"concurrent echo", parityConcurrentEcho},
		{"half-close", parityHalfClose},
		{"non-reading peer", parityNonReadingPeer},
		{"relay", parityRelay},
		{"close with output pending", parityCloseWithOutputPending},
		{"timeouts", parityTimeouts},
		{"accept out of descriptors", parityAcceptOutOfDescriptors},
		{"idle connections", parityIdleConnections},
	} {
		// Not parallel: the cases count connections and descriptors of the
		// whole process, and one of them lowers its descriptor limit.
		t.Run(tc.name, tc.run)
	}
}

// parityMode describes the backend and mode the environment selected.
func parityMode() string {
	backend := string(testBackend)
	if backend == "" {
		backend = map[string]string{"linux": "epoll", "windows": "iocp"}[runtime.GOOS]
		if backend == "" {
			backend = "kqueue"
		}
	}
	trig := "level-triggered"
	if testEdge {
		trig = "edge-triggered"
	}
	s := backend + ", " + trig
	if testURingOff != 0 {
		s += ", io_uring features off: " + os.Getenv("SOCKLOOP_URING_OFF")
	}
	if testRawWait > 0 {
		s += ", io_uring raw wait " + testRawWait.String()
	}
	return s
}

// waitConnections waits until the engine counts n open connections: accepts
// and closes reach the loops after the clients' calls return.
func waitConnections(t *testing.T, e *Engine, n int) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); e.CountConnections() != n; {
		if time.Now().After(deadline) {
			t.Fatalf("the engine counts %d connections after 20s, want %d", e.CountConnections(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// parityConcurrentEcho opens many connections at once and has each send a
// payload of random size, from 1 byte to 256 KiB, to an echo server while
// reading the echo back, which must be byte for byte what it sent.
func parityConcurrentEcho(t *testing.T) {
	const conns, maxSize = 1000, 256 << 10
	h := &echoHandler{closes: make(chan error, conns)}
	e, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
	// Sizes are log-uniform over the range, so small and large payloads
	// are both common while the total stays near 21 MiB (about 21 KiB a
	// connection) and the case fits a few seconds under the race detector.
	r := rand.New(rand.NewPCG(7, 7))
	sizes := make([]int, conns)
	for i := range sizes {
		sizes[i] = min(maxSize, int(math.Exp(r.Float64()*math.Log(maxSize+1))))
	}
	sizes[0], sizes[1] = 1, maxSize // both ends of the range, always
	// All connections are open before any sends, so the loops serve them
	// all at once.
	clients := make([]net.Conn, conns)
	for i := range clients {
		clients[i] = dial(t, addrs[0])
	}
	waitConnections(t, e, conns)
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	total := 0
	for i, c := range clients {
		total += sizes[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.SetDeadline(time.Now().Add(2 * time.Minute)) // a failure, not a hang
			if err := echoRoundTrip(c, uint64(i), sizes[i]); err != nil {
				errs <- fmt.Errorf("connection %d, %d bytes: %w", i, sizes[i], err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, c := range clients {
		c.Close()
	}
	waitConnections(t, e, 0)
	for range conns {
		if err := <-h.closes; err != nil {
			t.Errorf("OnClose err = %v, want nil: every client closed after its echo", err)
		}
	}
	t.Logf("%d connections echoed %d bytes", conns, total)
}

// shutFirst half-closes each connection as it opens, after a greeting, and
// then only reads: it reports what arrived once the peer finished too.
type shutFirst struct {
	BaseHandler
	greeting []byte
	got      []byte // loop only; one connection at a time
	received chan []byte
	closes   chan error
}

func (h *shutFirst) OnOpen(c *Conn) ([]byte, Action) {
	c.Write(h.greeting)
	c.CloseWrite() // once the greeting is flushed
	return nil, None
}

func (h *shutFirst) OnTraffic(c *Conn) Action {
	b, _ := c.Next(-1)
	h.got = append(h.got, b...)
	return None
}

func (h *shutFirst) OnReadEOF(c *Conn) Action {
	h.received <- h.got
	return Close
}

func (h *shutFirst) OnClose(c *Conn, err error) Action {
	h.closes <- err
	return None
}

// parityHalfClose checks that each direction of a connection ends on its
// own: after the client's FIN the server still writes, and after the
// server's the client still sends.
func parityHalfClose(t *testing.T) {
	// Larger than the socket buffers, so that both ends of each direction
	// go through backpressure while the other direction has ended.
	msg := pattern(1 << 20)
	t.Run("client shuts down writing", func(t *testing.T) {
		h := &eofHandler{echoHandler: *newEchoHandler()} // echoes, then says "bye" at the FIN
		_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
		c := dial(t, addrs[0]).(*net.TCPConn)
		c.SetDeadline(time.Now().Add(20 * time.Second))
		werr := make(chan error, 1)
		go func() {
			_, err := c.Write(msg)
			if err == nil {
				err = c.CloseWrite()
			}
			werr <- err
		}()
		got, err := io.ReadAll(c)
		if err := <-werr; err != nil {
			t.Fatal(err)
		}
		want := append(bytes.Clone(msg), "bye"...)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("read %d bytes, then %v; want the %d-byte echo, \"bye\" written after the FIN, then EOF", len(got), err, len(msg))
		}
		if err := waitClose(t, h.closes); err != nil {
			t.Fatalf("OnClose err = %v, want nil", err)
		}
	})
	t.Run("server shuts down writing", func(t *testing.T) {
		h := &shutFirst{greeting: msg, received: make(chan []byte, 1), closes: make(chan error, 1)}
		_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
		c := dial(t, addrs[0]).(*net.TCPConn)
		c.SetDeadline(time.Now().Add(20 * time.Second))
		got, err := io.ReadAll(c)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("read %d bytes, then %v; want the %d-byte greeting, then EOF", len(got), err, len(msg))
		}
		// The server's end is the client's cue: it sends only now.
		reply := msg[len(msg)/3:]
		if _, err := c.Write(reply); err != nil {
			t.Fatalf("writing after the server's FIN: %v", err)
		}
		if err := c.CloseWrite(); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-h.received:
			if !bytes.Equal(got, reply) {
				t.Fatalf("the server received %d bytes after its FIN, want the %d sent", len(got), len(reply))
			}
		case <-time.After(20 * time.Second):
			t.Fatal("the server saw no end of input within 20s")
		}
		if err := waitClose(t, h.closes); err != nil {
			t.Fatalf("OnClose err = %v, want nil", err)
		}
	})
}

// openEcho is an echo that hands each connection to the test as it opens.
type openEcho struct {
	echoHandler
	opened chan *Conn
}

func (h *openEcho) OnOpen(c *Conn) ([]byte, Action) {
	h.opened <- c
	return nil, None
}

// parityNonReadingPeer echoes to a peer that writes and never reads, until
// its writes stall: the connection then holds, as queued output and
// unconsumed input together, at most the high-water mark plus one read (a
// completion backend's receives must not run ahead of the pause).
func parityNonReadingPeer(t *testing.T) {
	const low, high, readBuf = 16 << 10, 64 << 10, 64 << 10
	h := &openEcho{echoHandler: *newEchoHandler(), opened: make(chan *Conn, 1)}
	e, addrs := launchEngine(t, h, []string{"tcp://127.0.0.1:0"},
		WithLoops(1), WithWriteWatermarks(low, high), WithReadBufferSize(readBuf))
	// The echo the peer never read is dropped at the stop: Stop reports it.
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		var se *StopError
		if err := e.Stop(ctx); err != nil && !errors.As(err, &se) {
			t.Errorf("Stop = %v", err)
		}
	}()
	sent := writeUntilStalled(t, dial(t, addrs[0]))
	c := <-h.opened
	held := make(chan [2]int, 1)
	c.Loop().Submit(func() { held <- [2]int{c.InboundBuffered(), c.OutboundBuffered()} })
	got := <-held
	if got[0]+got[1] > high+readBuf {
		t.Fatalf("after %d bytes sent, the connection holds %d bytes of input and %d of output; want at most %d together (high-water mark plus one read)",
			sent, got[0], got[1], high+readBuf)
	}
}

// pairRelay pairs the connections it accepts two by two, in the order they
// open, and moves the input of each to the other with Write. It pauses
// reading a connection while its peer's queued output is above the
// high-water mark and resumes it when the peer drains, as a proxy does, and
// records the most bytes a pair held, sampled in its callbacks.
type pairRelay struct {
	BaseHandler
	high     int
	first    *Conn // opened, waiting for its pair
	paired   chan struct{}
	mostHeld int // loop only: the engine has one loop
	closes   chan error
}

func (h *pairRelay) OnOpen(c *Conn) ([]byte, Action) {
	if h.first == nil {
		h.first = c
		c.PauseRead() // nowhere to put its input yet
		return nil, None
	}
	a := h.first
	h.first = nil
	a.SetContext(c)
	c.SetContext(a)
	a.ResumeRead()
	h.paired <- struct{}{}
	return nil, None
}

func (h *pairRelay) OnTraffic(c *Conn) Action {
	peer, ok := c.Context().(*Conn)
	if !ok { // not paired yet: hold the input
		c.PauseRead()
		return None
	}
	h.sample(c, peer)
	b, _ := c.Next(-1)
	peer.Write(b)
	h.sample(c, peer)
	if peer.OutboundBuffered() > h.high {
		c.PauseRead()
	}
	return None
}

// OnDrain resumes the side that was paused because this one was full.
func (h *pairRelay) OnDrain(c *Conn) Action {
	if peer, ok := c.Context().(*Conn); ok {
		h.sample(c, peer)
		peer.ResumeRead()
	}
	return None
}

// OnReadEOF passes a side's end on to its peer, once the peer's output has
// drained, and closes the side, which has nothing left to send.
func (h *pairRelay) OnReadEOF(c *Conn) Action {
	if peer, ok := c.Context().(*Conn); ok {
		peer.CloseWrite() // net.ErrClosed if the peer closed first: nothing to pass on
	}
	return Close
}

// OnClose closes the peer after a failure, so that the test's reader ends too.
func (h *pairRelay) OnClose(c *Conn, err error) Action {
	if peer, ok := c.Context().(*Conn); ok && err != nil {
		peer.CloseWithError(err)
	}
	h.closes <- err
	return None
}

func (h *pairRelay) sample(a, b *Conn) {
	held := a.InboundBuffered() + a.OutboundBuffered() + b.InboundBuffered() + b.OutboundBuffered()
	h.mostHeld = max(h.mostHeld, held)
}

// parityRelay relays a large stream from client A to client B through a
// pairRelay and checks that every byte arrives, in order, while the server
// holds at most the high-water mark plus one read for the pair. The issue
// asks for 1 GiB, which took 9 s under the race detector on the two cores
// this was written on and would take minutes under Wine (64 MiB took 5 to
// 12 s there), so SOCKLOOP_PARITY_RELAY_BYTES sets the amount, 64 MiB by
// default. The process's CPU time per GiB relayed is logged, not checked,
// to compare backends: it includes the clients', which make and check the
// stream.
func parityRelay(t *testing.T) {
	size := int64(64 << 20)
	if s := os.Getenv("SOCKLOOP_PARITY_RELAY_BYTES"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			t.Fatalf("SOCKLOOP_PARITY_RELAY_BYTES=%q: want a number of bytes", s)
		}
		size = n
	}
	const low, high, readBuf = 16 << 10, 64 << 10, 64 << 10
	h := &pairRelay{high: high, paired: make(chan struct{}, 1), closes: make(chan error, 2)}
	// One loop: Write is for the connection's own loop, and the two sides
	// of a pair are accepted independently, so only one loop keeps them
	// together.
	e, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"},
		WithLoops(1), WithWriteWatermarks(low, high), WithReadBufferSize(readBuf))
	a := dial(t, addrs[0]).(*net.TCPConn)
	waitConnections(t, e, 1) // A opens first: it is the sending side
	b := dial(t, addrs[0])
	<-h.paired

	var seed [32]byte
	copy(seed[:], "sockloop parity relay")
	cpu0, cpuOK := processCPU()
	start := time.Now()
	werr := make(chan error, 1)
	go func() {
		src := rand.NewChaCha8(seed)
		buf := make([]byte, 256<<10)
		for left := size; left > 0; {
			chunk := buf[:min(left, int64(len(buf)))]
			src.Read(chunk)
			a.SetWriteDeadline(time.Now().Add(20 * time.Second)) // no progress is a failure, not a hang
			if _, err := a.Write(chunk); err != nil {
				werr <- err
				return
			}
			left -= int64(len(chunk))
		}
		if err := a.CloseWrite(); err != nil {
			werr <- err
			return
		}
		// The server closes A after passing its end on: nothing comes back.
		a.SetReadDeadline(time.Now().Add(20 * time.Second))
		n, err := io.Copy(io.Discard, a)
		if err == nil && n != 0 {
			err = fmt.Errorf("A received %d bytes; want none", n)
		}
		werr <- err
	}()
	want := rand.NewChaCha8(seed)
	buf := make([]byte, 256<<10)
	wantBuf := make([]byte, len(buf))
	var got int64
	var rerr error
	for {
		b.SetReadDeadline(time.Now().Add(20 * time.Second))
		n, err := b.Read(buf)
		if n > 0 {
			want.Read(wantBuf[:n])
			if !bytes.Equal(buf[:n], wantBuf[:n]) {
				t.Fatalf("the %d bytes B read at offset %d differ from what A sent", n, got)
			}
			got += int64(n)
		}
		if err != nil {
			rerr = err
			break
		}
	}
	if err := <-werr; err != nil {
		t.Fatalf("client A: %v", err)
	}
	if rerr != io.EOF || got != size {
		t.Fatalf("B read %d of %d bytes, then %v; want all of them, then EOF", got, size, rerr)
	}
	elapsed := time.Since(start)
	cpu1, _ := processCPU()
	b.Close()
	for range 2 {
		if err := waitClose(t, h.closes); err != nil {
			t.Errorf("OnClose err = %v, want nil", err)
		}
	}
	most := make(chan int, 1)
	e.Loops()[0].Submit(func() { most <- h.mostHeld })
	if m := <-most; m > high+readBuf {
		t.Errorf("the relay held up to %d bytes for the pair; want at most %d (high-water mark plus one read)", m, high+readBuf)
	} else {
		t.Logf("the relay held up to %d bytes for the pair (bound %d)", m, high+readBuf)
	}
	if !cpuOK || size == 0 {
		return
	}
	cpu := cpu1 - cpu0
	gib := float64(size) / (1 << 30)
	t.Logf("relayed %d MiB in %v (%s): process CPU %v, %.1f s per GiB (server and both clients; inflated by the race detector if on)",
		size>>20, elapsed.Round(time.Millisecond), parityMode(), cpu.Round(time.Millisecond), cpu.Seconds()/gib)
}

// parityCloseWithOutputPending closes connections that still have output
// queued: a peer that reads gets it all and a clean end; a peer that never
// reads, once the linger period passes, gets a reset, and OnClose hears how
// much was dropped.
func parityCloseWithOutputPending(t *testing.T) {
	t.Run("peer reads everything", parityCloseFlushes)
	t.Run("linger passes, peer never reads", parityCloseDropsAfterLinger)
}

// closingReplier is a bigReplyHandler that returns Close with its reply,
// and then reports how much of the reply was still queued after the flush
// that followed.
type closingReplier struct {
	bigReplyHandler
	pending chan int
}

func (h *closingReplier) OnTraffic(c *Conn) Action {
	action := h.bigReplyHandler.OnTraffic(c)
	// A task runs after the callback, and after the flush that ends it.
	c.Loop().Submit(func() { h.pending <- c.OutboundBuffered() })
	return action
}

func parityCloseFlushes(t *testing.T) {
	const size = 8 << 20 // more than the socket buffers take while the peer does not read
	h := &closingReplier{
		bigReplyHandler: bigReplyHandler{reply: pattern(size), then: Close, closes: make(chan error, 1)},
		pending:         make(chan int, 1),
	}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
	c := dial(t, addrs[0])
	if _, err := c.Write([]byte("go")); err != nil {
		t.Fatal(err)
	}
	if n := <-h.pending; n == 0 {
		t.Fatalf("the kernel took all %d bytes at once; the case needs output still queued at the close", size)
	}
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	got := make([]byte, size)
	if n, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, h.reply) {
		t.Fatalf("read %d bytes, then %v; want the %d-byte reply intact", n, err, size)
	}
	if n, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("read %d more bytes, then %v; want EOF after the reply", n, err)
	}
	if err := waitClose(t, h.closes); err != nil {
		t.Fatalf("OnClose err = %v, want nil after the output drained", err)
	}
}

// parityCloseDropsAfterLinger closes after a write larger than every
// buffer on the way to a peer that does not read: once the linger period
// passes the rest is dropped, OnClose learns how many bytes were, and the
// peer reads an error (a reset), not a clean end.
func parityCloseDropsAfterLinger(t *testing.T) {
	const size = 8 << 20
	h := &bigReplyHandler{reply: pattern(size), then: Close, closes: make(chan error, 1)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithCloseLinger(100*time.Millisecond))
	c := dial(t, addrs[0])
	if _, err := c.Write([]byte("go")); err != nil {
		t.Fatal(err)
	}
	err := waitClose(t, h.closes)
	var dropped *OutputDroppedError
	// A send operation in flight (IOCP) counts all it carries as unsent.
	if !errors.As(err, &dropped) || dropped.Bytes <= 0 || dropped.Bytes > size || !errors.Is(err, ErrCloseLinger) {
		t.Fatalf("OnClose err = %v; want an *OutputDroppedError of 1 to %d bytes wrapping ErrCloseLinger", err, size)
	}
	t.Run("peer sees a reset", func(t *testing.T) {
		if !abortiveCloseResets {
			t.Skip("under Wine a close with SO_LINGER 0 reaches the peer as a clean end (see abortiveCloseResets)")
		}
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		got, err := io.Copy(io.Discard, c)
		if err == nil || got >= size {
			t.Fatalf("the peer read %d of %d bytes and then %v; want fewer bytes and an error, never a clean end", got, size, err)
		}
		if !errors.Is(err, errConnReset) {
			t.Fatalf("the peer's read failed with %v; want ECONNRESET", err)
		}
	})
}

// parityTimeouts lets each kind of timeout expire, set for the engine and
// for one connection: OnClose receives its error, which is also a deadline
// exceeded. Only the error is checked, never when it came.
func parityTimeouts(t *testing.T) {
	const d = 50 * time.Millisecond
	// The peer never reads a reply larger than every buffer on the way
	// (about 4 MiB on Linux loopback). Not larger still: under the race
	// detector, making and copying a fresh 64 MiB took seconds each.
	unread := pattern(16 << 20)
	for _, tc := range []struct {
		name  string
		opts  []Option
		setup func(c *Conn)
		reply []byte
		want  error
	}{
		{name: "read option", opts: []Option{WithReadTimeout(d)}, want: ErrReadTimeout},
		{name: "idle option", opts: []Option{WithIdleTimeout(d)}, want: ErrIdleTimeout},
		{name: "read per connection", setup: func(c *Conn) { c.SetReadTimeout(d) }, want: ErrReadTimeout},
		{name: "idle per connection", setup: func(c *Conn) { c.SetIdleTimeout(d) }, want: ErrIdleTimeout},
		{name: "write option", opts: []Option{WithWriteTimeout(d)}, reply: unread, want: ErrWriteTimeout},
		{name: "write per connection", setup: func(c *Conn) { c.SetWriteTimeout(d) }, reply: unread, want: ErrWriteTimeout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &timeoutHandler{setup: tc.setup, reply: tc.reply, closes: make(chan error, 1)}
			_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, tc.opts...)
			// A write timeout may reset the connection before this
			// goroutine, on a busy machine, has read connect's result.
			c, err := dialConn(addrs[0])
			switch {
			case err == nil:
				t.Cleanup(func() { c.Close() })
			case tc.reply == nil || !errors.Is(err, errConnReset):
				t.Fatal(err)
			}
			err = waitClose(t, h.closes)
			if !errors.Is(err, tc.want) || !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("OnClose err = %v, want %v matching os.ErrDeadlineExceeded", err, tc.want)
			}
			var te interface{ Timeout() bool }
			if !errors.As(err, &te) || !te.Timeout() {
				t.Fatalf("OnClose err = %v has no Timeout() true", err)
			}
		})
	}
}

// parityIdleConnections opens many connections that stay idle, checks that
// the engine counts them all, that each still echoes at the end, and that
// the count returns to zero once the clients close. The clients live in a
// child process (TestParityIdleClients): in this one, both ends of 10,000
// connections would need more descriptors than machines' hard limits
// commonly allow (20,000 on the one this was written on).
func parityIdleConnections(t *testing.T) {
	conns := idleConnections
	ensureDescriptors(t, conns+256)
	h := &echoHandler{closes: make(chan error, conns)}
	e, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
	clients := startIdleClients(t, addrs[0])
	// In batches, each accepted before the next is dialed: connections
	// that overflow the listen backlog wait for the kernel's SYN-ACK
	// retries, or are lost, and the backlog is not the subject here.
	const batch = 1000
	for open := 0; open < conns; {
		n := min(batch, conns-open)
		clients.step("open", n)
		open += n
		waitConnections(t, e, open)
	}
	clients.step("echo", 0)
	// Nothing closed meanwhile.
	if n := e.CountConnections(); n != conns {
		t.Fatalf("the engine counts %d connections after the echoes, want %d", n, conns)
	}
	clients.step("close", 0)
	waitConnections(t, e, 0)
	for range conns {
		if err := <-h.closes; err != nil {
			t.Errorf("OnClose err = %v, want nil", err)
		}
	}
	t.Logf("%d idle connections", conns)
}

// idleClients drives the child process of parityIdleConnections one step at
// a time: a step is a line on the child's input, a word and a number, and
// the child answers with the word once it has done it.
type idleClients struct {
	t      *testing.T
	cmd    *exec.Cmd
	in     io.WriteCloser
	lines  chan string
	output *syncBuffer // everything the child wrote, for failures
}

func startIdleClients(t *testing.T, addr net.Addr) *idleClients {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestParityIdleClients$", "-test.count=1", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), idleClientsEnv+"="+addr.String())
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &idleClients{t: t, cmd: cmd, in: in, lines: make(chan string), output: &syncBuffer{}}
	cmd.Stderr = c.output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(c.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			fmt.Fprintln(c.output, sc.Text())
			c.lines <- sc.Text()
		}
	}()
	t.Cleanup(func() {
		in.Close() // the child closes its connections and exits at the end of its input
		drained := make(chan struct{})
		go func() {
			for range c.lines {
			}
			close(drained)
		}()
		select {
		case <-drained:
		case <-time.After(60 * time.Second):
			cmd.Process.Kill()
			<-drained
			t.Errorf("client process still running 60s after its input ended")
		}
		if err := cmd.Wait(); err != nil {
			t.Errorf("client process: %v\n%s", err, c.output.String())
		}
	})
	return c
}

// step asks the child for a step and waits until it reports it done.
func (c *idleClients) step(word string, n int) {
	c.t.Helper()
	if _, err := fmt.Fprintln(c.in, word, n); err != nil {
		c.t.Fatalf("client process: %v\n%s", err, c.output.String())
	}
	timeout := time.After(2 * time.Minute)
	for {
		select {
		case line, ok := <-c.lines:
			if !ok {
				c.t.Fatalf("client process ended before %q was done:\n%s", word, c.output.String())
			}
			if line == word {
				return
			}
		case <-timeout:
			c.t.Fatalf("client process did not finish %q within 2 minutes:\n%s", word, c.output.String())
		}
	}
}

// idleClientsEnv carries the server's address to the child process of
// parityIdleConnections.
const idleClientsEnv = "SOCKLOOP_PARITY_IDLE_CLIENTS"

// TestParityIdleClients is the child process of parityIdleConnections, and
// does nothing unless started as that. It reads steps from its input:
// "open n" opens n more connections, "echo" has each echo one byte,
// "close" (or the end of the input) closes them all.
func TestParityIdleClients(t *testing.T) {
	addr := os.Getenv(idleClientsEnv)
	if addr == "" {
		return
	}
	ensureDescriptors(t, idleConnections+256)
	var clients []net.Conn
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		var word string
		var n int
		if _, err := fmt.Sscan(in.Text(), &word, &n); err != nil {
			t.Fatalf("step %q: %v", in.Text(), err)
		}
		switch word {
		case "open":
			batch := make([]net.Conn, n)
			// A few dialers at once, as many clients would.
			inParallel(t, n, func(i int) error {
				c, err := net.Dial("tcp", addr)
				batch[i] = c
				return err
			})
			clients = append(clients, batch...)
		case "echo":
			inParallel(t, len(clients), func(i int) error {
				c := clients[i]
				msg := []byte{byte(i)}
				if _, err := c.Write(msg); err != nil {
					return err
				}
				got := make([]byte, 1)
				c.SetReadDeadline(time.Now().Add(20 * time.Second))
				if _, err := io.ReadFull(c, got); err != nil {
					return err
				}
				if got[0] != msg[0] {
					return fmt.Errorf("echo %#x, want %#x", got[0], msg[0])
				}
				return nil
			})
		case "close":
			for _, c := range clients {
				c.Close()
			}
			clients = nil
		default:
			t.Fatalf("unknown step %q", in.Text())
		}
		fmt.Println(word)
	}
}

// inParallel runs f for 0..n-1 on a few goroutines and fails the test with the
// first errors.
func inParallel(t *testing.T, n int, f func(i int) error) {
	t.Helper()
	const workers = 8
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				if err := f(i); err != nil {
					errs <- fmt.Errorf("connection %d: %w", i, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if failed++; failed <= 10 {
			t.Error(err)
		}
	}
	if failed > 0 {
		t.Fatalf("%d of %d connections failed", failed, n)
	}
}
