package loop_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"time"

	"github.com/sockloop/sockloop/loop"
)

type echo struct{ loop.BaseHandler }

func (echo) OnTraffic(c *loop.Conn) loop.Action {
	b, _ := c.Next(-1) // all buffered input, no copy
	c.Write(b)         // queued; flushed with one gather write
	return loop.None
}

// An echo server on two loops, started, used and stopped.
func Example() {
	e, err := loop.New(echo{}, loop.WithLoops(2))
	if err != nil {
		panic(err)
	}
	addr, err := e.Listen("tcp://127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	if err := e.Start(context.Background()); err != nil {
		panic(err)
	}
	defer e.Stop(context.Background())

	c, _ := net.Dial("tcp", addr.String())
	defer c.Close()
	c.Write([]byte("hello"))
	buf := make([]byte, 5)
	io.ReadFull(c, buf)
	fmt.Println(string(buf))
	// Output: hello
}

// Serve runs a handler until its context ends.
func ExampleServe() {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := loop.Serve(ctx, echo{}, "tcp://127.0.0.1:0", loop.WithLoops(1))
	fmt.Println(err)
	// Output: <nil>
}

// lineCounter answers each complete line with its length, leaving a partial
// line buffered until the rest arrives.
type lineCounter struct{ loop.BaseHandler }

func (lineCounter) OnTraffic(c *loop.Conn) loop.Action {
	for {
		buf, _ := c.Peek(-1)
		end := -1
		for i, b := range buf {
			if b == '\n' {
				end = i
				break
			}
		}
		if end < 0 {
			return loop.None // wait for more input; nothing is consumed
		}
		line, _ := c.Next(end + 1)
		fmt.Fprintf(c, "%d\n", len(line)-1)
	}
}

// Peek and Next frame input without copying it.
func ExampleConn_Peek() {
	e, _ := loop.New(lineCounter{}, loop.WithLoops(1))
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	e.Start(context.Background())
	defer e.Stop(context.Background())

	c, _ := net.Dial("tcp", addr.String())
	defer c.Close()
	c.Write([]byte("abc\nhel"))
	time.Sleep(10 * time.Millisecond)
	c.Write([]byte("lo\n"))
	buf := make([]byte, 4)
	io.ReadFull(c, buf)
	fmt.Printf("%q\n", buf)
	// Output: "3\n5\n"
}

// Timers run on the loop's goroutine, like the handler's callbacks.
func ExampleLoop_AfterFunc() {
	e, _ := loop.New(loop.BaseHandler{}, loop.WithLoops(1))
	e.Start(context.Background())
	defer e.Stop(context.Background())

	done := make(chan string)
	e.Loops()[0].AfterFunc(10*time.Millisecond, func() { done <- "fired" })
	fmt.Println(<-done)
	// Output: fired
}

// drainWithoutAction declares OnDrain without the Action result, so the
// engine would never call it.
type drainWithoutAction struct{ loop.BaseHandler }

func (drainWithoutAction) OnDrain(c *loop.Conn) {}

// New refuses a handler whose method resembles an optional callback but
// would never be called.
func ExampleHandlerError() {
	_, err := loop.New(drainWithoutAction{})
	var he *loop.HandlerError
	if errors.As(err, &he) {
		fmt.Println(he.Method)
		fmt.Println(he.Want)
	}
	// Output:
	// OnDrain(*loop.Conn)
	// OnDrain(*loop.Conn) loop.Action
}

// requestTimeout answers a client that sent nothing for its read timeout
// with a last message, then closes.
type requestTimeout struct{ loop.BaseHandler }

func (requestTimeout) OnTimeout(c *loop.Conn, err error) loop.Action {
	c.Write([]byte("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n"))
	return loop.Close // once the answer is flushed
}

// A TimeoutHandler sends a last message before a timeout closes the
// connection.
func ExampleTimeoutHandler() {
	e, err := loop.New(requestTimeout{}, loop.WithLoops(1), loop.WithReadTimeout(20*time.Millisecond))
	if err != nil {
		panic(err)
	}
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	if err := e.Start(context.Background()); err != nil {
		panic(err)
	}
	defer e.Stop(context.Background())

	c, _ := net.Dial("tcp", addr.String())
	defer c.Close()
	answer, _ := io.ReadAll(c) // until the server closes
	fmt.Printf("%q\n", answer[:len("HTTP/1.1 408 Request Timeout")])
	// Output: "HTTP/1.1 408 Request Timeout"
}

// chat sends each message to every connection of the loop it arrived on.
type chat struct{ loop.BaseHandler }

func (chat) OnTraffic(c *loop.Conn) loop.Action {
	msg, _ := c.Next(-1)
	for peer := range c.Loop().Conns() {
		peer.Write(msg)
	}
	return loop.None
}

// Loop.Conns visits a loop's connections: a broadcast without a registry.
func ExampleLoop_Conns() {
	e, _ := loop.New(chat{}, loop.WithLoops(1))
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	e.Start(context.Background())
	defer e.Stop(context.Background())

	alice, _ := net.Dial("tcp", addr.String())
	defer alice.Close()
	bob, _ := net.Dial("tcp", addr.String())
	defer bob.Close()
	for e.Loops()[0].CountConnections() < 2 {
		time.Sleep(time.Millisecond)
	}
	alice.Write([]byte("hi all"))
	buf := make([]byte, 6)
	io.ReadFull(bob, buf)
	fmt.Println(string(buf))
	// Output: hi all
}

// stats keeps a counter per loop in the loop's value and reports it from
// a tick on every loop.
type stats struct {
	loop.BaseHandler
	report chan string
}

func (s *stats) OnBoot(e *loop.Engine) loop.Action {
	for _, l := range e.Loops() {
		l.SetValue(new(int))
	}
	return loop.None
}

func (s *stats) OnLoopTick(l *loop.Loop) (time.Duration, loop.Action) {
	ticks := l.Value().(*int)
	*ticks++
	if *ticks == 3 {
		s.report <- fmt.Sprintf("loop %d ticked 3 times", l.Index())
		return 0, loop.None // no more ticks
	}
	return time.Millisecond, loop.None
}

// A LoopTickHandler ticks on every loop, and Loop.SetValue keeps state per
// loop without locks.
func ExampleLoopTickHandler() {
	s := &stats{report: make(chan string, 2)}
	e, _ := loop.New(s, loop.WithLoops(2))
	e.Start(context.Background())
	defer e.Stop(context.Background())
	got := []string{<-s.report, <-s.report}
	sort.Strings(got)
	fmt.Println(got[0])
	fmt.Println(got[1])
	// Output:
	// loop 0 ticked 3 times
	// loop 1 ticked 3 times
}

// dialer reports dials that never opened, apart from closes.
type dialer struct {
	loop.BaseHandler
	failed chan error
}

func (d *dialer) OnDialError(c *loop.Conn, err error) loop.Action {
	d.failed <- err
	return loop.None
}

// DialContext bounds a dial by a context, and a DialErrorHandler hears of
// a dial that never opened apart from the close of an open connection.
func ExampleEngine_DialContext() {
	d := &dialer{failed: make(chan error, 1)}
	e, _ := loop.New(d, loop.WithLoops(1))
	e.Start(context.Background())
	defer e.Stop(context.Background())

	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	refused := ln.Addr().String()
	ln.Close() // nothing listens there now

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := e.DialContext(ctx, "tcp", refused, nil); err != nil {
		panic(err)
	}
	var op *net.OpError
	fmt.Println(errors.As(<-d.failed, &op), op.Op)
	// Output: true dial
}

// router answers each connection according to the listener that took it.
type router struct {
	loop.BaseHandler
	admin net.Addr
}

func (r *router) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	if c.Listener().String() == r.admin.String() {
		return []byte("admin\n"), loop.Close
	}
	return []byte("public\n"), loop.Close
}

// Conn.Listener tells which listener accepted a connection, for an engine
// serving several.
func ExampleConn_Listener() {
	r := &router{}
	e, _ := loop.New(r, loop.WithLoops(1))
	public, _ := e.Listen("tcp://127.0.0.1:0")
	r.admin, _ = e.Listen("tcp://127.0.0.1:0")
	e.Start(context.Background())
	defer e.Stop(context.Background())

	for _, addr := range []net.Addr{public, r.admin} {
		c, _ := net.Dial("tcp", addr.String())
		b, _ := io.ReadAll(c)
		c.Close()
		fmt.Print(string(b))
	}
	// Output:
	// public
	// admin
}
