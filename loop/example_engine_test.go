package loop_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"time"

	"github.com/sockloop/sockloop/loop"
)

// New checks the handler and every option before anything runs, so a
// mistake fails at start-up with an error that names it.
func ExampleNew() {
	_, err := loop.New(nil)
	fmt.Println(errors.Is(err, loop.ErrNilHandler))

	_, err = loop.New(echo{}, loop.WithLoops(0))
	var oe *loop.OptionError
	fmt.Println(errors.As(err, &oe), oe.Option)

	e, err := loop.New(echo{}, loop.WithLoops(2))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(e.Loops()), "loops, not running yet")
	e.Stop(context.Background()) // releases the loops of an engine never started
	// Output:
	// true
	// true WithLoops
	// 2 loops, not running yet
}

// greeter sends a line to each connection as it opens.
type greeter struct{ loop.BaseHandler }

func (greeter) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	return []byte("hello\n"), loop.None
}

// Start runs the engine until Stop, a Shutdown action, or the end of its
// context, after which it stops gracefully by itself.
func ExampleEngine_Start() {
	e, err := loop.New(greeter{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	addr, err := e.Listen("tcp://127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := e.Start(ctx); err != nil {
		log.Fatal(err)
	}

	c, err := net.Dial("tcp", addr.String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	line := make([]byte, 6)
	io.ReadFull(c, line)
	fmt.Printf("%q\n", line)

	cancel()
	<-e.Done()
	fmt.Println("stopped")
	// Output:
	// "hello\n"
	// stopped
}

// Stop flushes what each connection has queued before closing it, so a
// client reads everything and then a clean end of stream.
func ExampleEngine_Stop() {
	e, err := loop.New(greeter{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}

	c, err := net.Dial("tcp", addr.String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	first := make([]byte, 6)
	io.ReadFull(c, first) // the connection is open on the engine now

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	fmt.Println(e.Stop(ctx))
	rest, err := io.ReadAll(c)
	fmt.Println(len(rest), err)
	// Output:
	// <nil>
	// 0 <nil>
}

// notifier answers a connection it dialed, and nothing else.
type notifier struct {
	loop.BaseHandler
}

func (notifier) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	if !c.Dialed() {
		return nil, loop.Close
	}
	return []byte("hello from " + c.Context().(string)), loop.Close
}

// Dial connects from inside the engine: the connection is served by a loop
// like an accepted one, and OnOpen runs once it is established.
func ExampleEngine_Dial() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()

	e, err := loop.New(notifier{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	if _, err := e.Dial("tcp", ln.Addr().String(), "the engine"); err != nil {
		log.Fatal(err)
	}
	c, err := ln.Accept()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	b, _ := io.ReadAll(c)
	fmt.Println(string(b))
	// Output: hello from the engine
}

// shouter hands each message to the worker pool, which answers through
// AsyncWrite: the loop never waits for the work.
type shouter struct {
	loop.BaseHandler
	e *loop.Engine
}

func (s *shouter) OnBoot(e *loop.Engine) loop.Action {
	s.e = e
	return loop.None
}

func (s *shouter) OnTraffic(c *loop.Conn) loop.Action {
	msg, _ := c.Next(-1)
	text := string(msg) // msg is the loop's buffer, valid only in this callback
	err := s.e.Go(func() {
		time.Sleep(time.Millisecond) // stands for a blocking call
		c.AsyncWrite([]byte(strings.ToUpper(text)), nil)
	})
	if err != nil {
		return loop.Close
	}
	return loop.None
}

// Go runs blocking work on the engine's worker pool, off the loops.
func ExampleEngine_Go() {
	e, err := loop.New(&shouter{}, loop.WithLoops(1), loop.WithWorkerPool(4))
	if err != nil {
		log.Fatal(err)
	}
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	c, err := net.Dial("tcp", addr.String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("quiet please"))
	b := make([]byte, 12)
	io.ReadFull(c, b)
	fmt.Println(string(b))
	// Output: QUIET PLEASE
}

// quitter stops the whole engine when a client says so.
type quitter struct{ loop.BaseHandler }

func (quitter) OnTraffic(c *loop.Conn) loop.Action {
	if msg, _ := c.Next(-1); string(msg) == "quit" {
		return loop.Shutdown
	}
	return loop.None
}

// Done is closed once the engine has stopped, here by a Shutdown action.
func ExampleEngine_Done() {
	e, err := loop.New(quitter{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}

	c, err := net.Dial("tcp", addr.String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("quit"))
	<-e.Done()
	fmt.Println("engine stopped")
	// Output: engine stopped
}

// An address Listen cannot use fails with an *AddrError naming it.
func ExampleAddrError() {
	e, err := loop.New(echo{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	_, err = e.Listen("sctp://127.0.0.1:0")
	var ae *loop.AddrError
	fmt.Println(errors.As(err, &ae), ae.Addr)
	fmt.Println(err)
	// Output:
	// true sctp://127.0.0.1:0
	// loop: address sctp://127.0.0.1:0: unknown network sctp
}

// Option values are checked by New, which fails with an *OptionError
// naming the option.
func ExampleOptionError() {
	_, err := loop.New(echo{}, loop.WithWriteWatermarks(64<<10, 16<<10))
	var oe *loop.OptionError
	if errors.As(err, &oe) {
		fmt.Println(oe.Option)
	}
	// Output: WithWriteWatermarks
}
