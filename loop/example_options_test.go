package loop_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/sockloop/sockloop/loop"
)

// WithLoops sets how many event loops, each a goroutine with its own
// poller, serve the engine's connections.
func ExampleWithLoops() {
	e, err := loop.New(echo{}, loop.WithLoops(4))
	if err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())
	for _, l := range e.Loops() {
		fmt.Print(l.Index(), " ")
	}
	fmt.Println()
	// Output: 0 1 2 3
}

// heartbeat ticks three times on the first loop, then stops ticking.
type heartbeat struct {
	loop.BaseHandler
	beats chan int
	n     int // touched only on the first loop
}

func (h *heartbeat) OnTick() (time.Duration, loop.Action) {
	h.n++
	h.beats <- h.n
	if h.n == 3 {
		return 0, loop.None // no more ticks
	}
	return time.Millisecond, loop.None
}

// WithTicker calls the handler's OnTick on the first loop, again after
// each delay it returns.
func ExampleWithTicker() {
	h := &heartbeat{beats: make(chan int, 3)}
	e, err := loop.New(h, loop.WithLoops(1), loop.WithTicker(true))
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())
	fmt.Println(<-h.beats, <-h.beats, <-h.beats)
	// Output: 1 2 3
}

// WithLogger sends what the engine logs (a backend it falls back from, a
// listener paused for want of descriptors) to a logger of the program's.
func ExampleWithLogger() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil)).With("component", "sockloop")
	e, err := loop.New(echo{}, loop.WithLogger(logger))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := e.Listen("tcp://127.0.0.1:0"); err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	e.Stop(context.Background())
}

// loopReporter reports which loop each connection landed on.
type loopReporter struct {
	loop.BaseHandler
	loops chan int
}

func (h loopReporter) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	h.loops <- c.Loop().Index()
	return nil, loop.None
}

// loopsOf starts an engine for h, makes n connections to it, and returns
// the loop each landed on, sorted.
func loopsOf(h loopReporter, n int, opts ...loop.Option) []int {
	e, err := loop.New(h, opts...)
	if err != nil {
		log.Fatal(err)
	}
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())
	var got []int
	for range n {
		c, err := net.Dial("tcp", addr.String())
		if err != nil {
			log.Fatal(err)
		}
		defer c.Close()
		got = append(got, <-h.loops)
	}
	slices.Sort(got)
	return got
}

// WithReusePort(false) has one acceptor hand connections to the loops, in
// turn by default, instead of a listening socket per loop that the kernel
// spreads connections over.
func ExampleWithReusePort() {
	h := loopReporter{loops: make(chan int, 1)}
	fmt.Println(loopsOf(h, 2, loop.WithLoops(2), loop.WithReusePort(false)))
	// Output: [0 1]
}

// WithLoadBalancing picks how the acceptor chooses: SourceAddrHash keeps
// one client's connections on one loop.
func ExampleWithLoadBalancing() {
	h := loopReporter{loops: make(chan int, 1)}
	got := loopsOf(h, 3, loop.WithLoops(4), loop.WithReusePort(false),
		loop.WithLoadBalancing(loop.SourceAddrHash))
	fmt.Println(got[0] == got[2])
	// Output: true
}

// roundTrip serves h with opts on one loop and returns what comes back
// for msg.
func roundTrip(h loop.Handler, msg string, opts ...loop.Option) string {
	c, stop := serve(h, opts...)
	defer stop()
	go c.Write([]byte(msg))
	b := make([]byte, len(msg))
	io.ReadFull(c, b)
	return string(b)
}

// WithLockOSThread runs each loop on an OS thread of its own, for code
// that needs a thread's identity (io_uring locks its loops regardless).
func ExampleWithLockOSThread() {
	fmt.Println(roundTrip(echo{}, "locked", loop.WithLockOSThread(true)))
	// Output: locked
}

// WithEdgeTriggered has the pollers report a socket once per change, and
// the loop read it until it is drained.
func ExampleWithEdgeTriggered() {
	fmt.Println(roundTrip(echo{}, "edge", loop.WithEdgeTriggered(true)))
	// Output: edge
}

// WithReadBufferSize sets each loop's read buffer: a smaller one costs
// less memory and more calls; a message larger than it still arrives
// whole, over several OnTraffic calls.
func ExampleWithReadBufferSize() {
	msg := strings.Repeat("x", 32<<10)
	got := roundTrip(echo{}, msg, loop.WithReadBufferSize(4<<10))
	fmt.Println(len(got), got == msg)
	// Output: 32768 true
}

// WithWorkerPool gives the engine goroutines for Engine.Go; without it Go
// fails with an *OptionError.
func ExampleWithWorkerPool() {
	e, err := loop.New(echo{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	err = e.Go(func() {})
	var oe *loop.OptionError
	fmt.Println(errors.As(err, &oe), oe.Option)
	e.Stop(context.Background())

	e, err = loop.New(echo{}, loop.WithLoops(1), loop.WithWorkerPool(8))
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())
	done := make(chan string)
	e.Go(func() { done <- "ran on the pool" })
	fmt.Println(<-done)
	// Output:
	// true WithWorkerPool
	// ran on the pool
}

// WithBacklog sets how many connections may wait to be accepted on one
// listener; Listen checks it.
func ExampleWithBacklog() {
	e, err := loop.New(echo{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())
	_, err = e.Listen("tcp://127.0.0.1:0", loop.WithBacklog(0))
	fmt.Println(err)
	_, err = e.Listen("tcp://127.0.0.1:0", loop.WithBacklog(64))
	fmt.Println(err)
	// Output:
	// loop: option WithBacklog: need n >= 1
	// <nil>
}

// wordCount reads until the client has finished sending, then answers
// with the count and closes: a half-close from the client ends the
// request, not the connection.
type wordCount struct{ loop.BaseHandler }

func (wordCount) OnTraffic(c *loop.Conn) loop.Action {
	return loop.None // leave the input buffered until the end
}

func (wordCount) OnReadEOF(c *loop.Conn) loop.Action {
	text, _ := c.Next(-1)
	fmt.Fprintf(c, "%d words", len(bytes.Fields(text)))
	return loop.Close // once the answer is sent
}

// A ReadEOFHandler keeps a connection open for writing after its peer has
// finished sending, as protocols that end a request with a half-close need.
func ExampleReadEOFHandler() {
	c, stop := serve(wordCount{})
	defer stop()

	c.Write([]byte("the quick brown fox"))
	c.(*net.TCPConn).CloseWrite()
	answer, _ := io.ReadAll(c)
	fmt.Println(string(answer))
	// Output: 4 words
}

// producer streams total bytes to each connection, writing only while its
// queued output is under the high-water mark and again when OnDrain says
// it has fallen to the low one.
type producer struct {
	loop.BaseHandler
	total, high int
	maxQueued   chan int
}

type progress struct{ left, maxQueued int }

func (h producer) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	c.SetContext(&progress{left: h.total})
	h.fill(c)
	return nil, loop.None
}

func (h producer) OnDrain(c *loop.Conn) loop.Action {
	h.fill(c)
	return loop.None
}

func (h producer) fill(c *loop.Conn) {
	p := c.Context().(*progress)
	chunk := make([]byte, 16<<10)
	for p.left > 0 && c.OutboundBuffered() <= h.high {
		n := min(len(chunk), p.left)
		c.Write(chunk[:n])
		p.left -= n
		p.maxQueued = max(p.maxQueued, c.OutboundBuffered())
	}
	if p.left == 0 {
		h.maxQueued <- p.maxQueued
		c.Close()
	}
}

// A DrainHandler learns when a connection's output has fallen to the
// low-water mark of WithWriteWatermarks, so that a producer writes as fast
// as the peer reads and holds no more than the high-water mark, plus one
// write, in memory.
func ExampleDrainHandler() {
	const low, high = 16 << 10, 64 << 10
	h := producer{total: 1 << 20, high: high, maxQueued: make(chan int, 1)}
	c, stop := serve(h, loop.WithWriteWatermarks(low, high))
	defer stop()

	got, _ := io.Copy(io.Discard, c)
	fmt.Println(got, <-h.maxQueued <= high+16<<10)
	// Output: 1048576 true
}

// serial handles one request of a connection at a time on the worker
// pool: it stops reading while a request is being handled, so a client that
// sends a burst waits in the kernel's buffers rather than in memory.
type serial struct {
	loop.BaseHandler
	e *loop.Engine
}

func (h *serial) OnBoot(e *loop.Engine) loop.Action {
	h.e = e
	return loop.None
}

func (h *serial) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	c.SetContext(false) // busy?
	return nil, loop.None
}

func (h *serial) OnTraffic(c *loop.Conn) loop.Action {
	buf, _ := c.Peek(-1)
	end := bytes.IndexByte(buf, '\n')
	if c.Context() == true || end < 0 {
		return loop.None
	}
	line, _ := c.Next(end + 1)
	req := string(line)
	c.SetContext(true)
	c.PauseRead()
	h.e.Go(func() {
		answer := []byte(strings.ToUpper(req)) // stands for slow work
		c.AsyncWrite(answer, func(c *loop.Conn, err error) {
			c.SetContext(false)
			c.ResumeRead()
			c.Wake(nil) // handle a request already buffered
		})
	})
	return loop.None
}

// PauseRead stops reading a connection until ResumeRead, leaving what the
// peer sends in the kernel; here while a request is on the worker pool.
func ExampleConn_PauseRead() {
	c, stop := serve(&serial{}, loop.WithWorkerPool(2))
	defer stop()

	c.Write([]byte("one\ntwo\nthree\n"))
	b := make([]byte, 14)
	io.ReadFull(c, b)
	fmt.Printf("%q\n", b)
	// Output: "ONE\nTWO\nTHREE\n"
}
