package loop_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"time"

	"github.com/sockloop/sockloop/loop"
)

// closeReporter reports why each connection closed.
type closeReporter struct {
	loop.BaseHandler
	reason chan error
}

func (h closeReporter) OnClose(c *loop.Conn, err error) loop.Action {
	h.reason <- err
	return loop.None
}

// WithReadTimeout closes connections that send nothing for the duration;
// OnClose learns why, with an error that matches os.ErrDeadlineExceeded.
func ExampleWithReadTimeout() {
	h := closeReporter{reason: make(chan error, 1)}
	c, stop := serve(h, loop.WithReadTimeout(20*time.Millisecond))
	defer stop()

	err := <-h.reason // the client sent nothing
	fmt.Println(err)
	fmt.Println(errors.Is(err, loop.ErrReadTimeout), errors.Is(err, os.ErrDeadlineExceeded))
	_, err = c.Read(make([]byte, 1))
	fmt.Println(err)
	// Output:
	// loop: read timeout
	// true true
	// EOF
}

// WithIdleTimeout closes connections whose peer stays silent, as a server
// drops keep-alive clients that went away.
func ExampleWithIdleTimeout() {
	h := closeReporter{reason: make(chan error, 1)}
	_, stop := serve(h, loop.WithIdleTimeout(20*time.Millisecond))
	defer stop()

	fmt.Println(<-h.reason)
	// Output: loop: idle timeout
}

// flood sends size bytes to each connection as it opens, more than a
// client that never reads can take.
type flood struct {
	closeReporter
	size int
}

func (h flood) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	return make([]byte, h.size), loop.None
}

// stalledClient dials addr and never reads, with a receive buffer small
// enough that the server's output stalls soon.
func stalledClient(addr net.Addr) net.Conn {
	c, err := net.Dial("tcp", addr.String())
	if err != nil {
		log.Fatal(err)
	}
	c.(*net.TCPConn).SetReadBuffer(4096)
	return c
}

// WithWriteTimeout closes connections whose output stops moving: the peer
// stopped reading. The output still queued is dropped and the connection
// reset, and OnClose receives an *OutputDroppedError saying so.
func ExampleWithWriteTimeout() {
	h := flood{closeReporter{reason: make(chan error, 1)}, 4 << 20}
	e, err := loop.New(h, loop.WithLoops(1),
		loop.WithWriteTimeout(20*time.Millisecond), loop.WithSocketBuffers(4096, 4096))
	if err != nil {
		log.Fatal(err)
	}
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())
	c := stalledClient(addr)
	defer c.Close()

	err = <-h.reason
	var dropped *loop.OutputDroppedError
	fmt.Println(errors.Is(err, loop.ErrWriteTimeout), errors.As(err, &dropped), dropped.Bytes > 0)
	// Output: true true true
}

// quickGoodbye writes a large answer and closes at once; the close waits
// for the output, up to the engine's close linger.
type quickGoodbye struct{ flood }

func (h quickGoodbye) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	return make([]byte, h.size), loop.Close
}

// WithCloseLinger bounds how long a closing connection may take to send
// what it has queued; past it the rest is dropped and the peer reset.
func ExampleWithCloseLinger() {
	h := quickGoodbye{flood{closeReporter{reason: make(chan error, 1)}, 4 << 20}}
	e, err := loop.New(h, loop.WithLoops(1),
		loop.WithCloseLinger(20*time.Millisecond), loop.WithSocketBuffers(4096, 4096))
	if err != nil {
		log.Fatal(err)
	}
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())
	c := stalledClient(addr)
	defer c.Close()

	err = <-h.reason
	fmt.Println(errors.Is(err, loop.ErrCloseLinger))
	// Output: true
}

// The error given to OnClose when output had to be dropped counts the
// bytes lost and unwraps to the cause of the close.
func ExampleOutputDroppedError() {
	h := quickGoodbye{flood{closeReporter{reason: make(chan error, 1)}, 4 << 20}}
	e, err := loop.New(h, loop.WithLoops(1),
		loop.WithCloseLinger(time.Millisecond), loop.WithSocketBuffers(4096, 4096))
	if err != nil {
		log.Fatal(err)
	}
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())
	c := stalledClient(addr)
	defer c.Close()

	var dropped *loop.OutputDroppedError
	if errors.As(<-h.reason, &dropped) {
		fmt.Println(dropped.Bytes > 0, dropped.Bytes <= 4<<20, dropped.Err)
	}
	// Output: true true loop: close linger timeout
}

// Stop bounded by a context that ends before every connection could send
// its output returns a *StopError counting the connections reset.
func ExampleStopError() {
	h := flood{closeReporter{reason: make(chan error, 1)}, 4 << 20}
	e, err := loop.New(h, loop.WithLoops(1), loop.WithSocketBuffers(4096, 4096))
	if err != nil {
		log.Fatal(err)
	}
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	c := stalledClient(addr)
	defer c.Close()
	for e.CountConnections() < 1 {
		time.Sleep(time.Millisecond)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err = e.Stop(ctx)
	var se *loop.StopError
	fmt.Println(errors.As(err, &se), se.Dropped, errors.Is(err, context.DeadlineExceeded))
	// Output: true 1 true
}

// WithStopTimeout bounds the graceful stop that follows the end of Start's
// context, as Stop's own context bounds an explicit stop.
func ExampleWithStopTimeout() {
	h := flood{closeReporter{reason: make(chan error, 1)}, 4 << 20}
	e, err := loop.New(h, loop.WithLoops(1),
		loop.WithStopTimeout(20*time.Millisecond), loop.WithSocketBuffers(4096, 4096))
	if err != nil {
		log.Fatal(err)
	}
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	if err := e.Start(ctx); err != nil {
		log.Fatal(err)
	}
	c := stalledClient(addr)
	defer c.Close()
	for e.CountConnections() < 1 {
		time.Sleep(time.Millisecond)
	}

	cancel() // the stalled client would hold a graceful stop for ever
	<-e.Done()
	var dropped *loop.OutputDroppedError
	fmt.Println(errors.As(<-h.reason, &dropped))
	// Output: true
}

// login gives each new connection a short time to say something, and then
// none: a read timeout of its own.
type login struct{ closeReporter }

func (login) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	c.SetReadTimeout(20 * time.Millisecond)
	return nil, loop.None
}

func (login) OnTraffic(c *loop.Conn) loop.Action {
	c.Discard(-1)
	c.SetReadTimeout(0) // logged in: no timeout from now on
	c.Write([]byte("welcome"))
	return loop.None
}

// SetReadTimeout sets a read timeout for one connection, here only until
// its first message.
func ExampleConn_SetReadTimeout() {
	h := login{closeReporter{reason: make(chan error, 2)}}
	e, err := loop.New(h, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	silent, _ := net.Dial("tcp", addr.String())
	defer silent.Close()
	fmt.Println(<-h.reason)

	user, _ := net.Dial("tcp", addr.String())
	defer user.Close()
	user.Write([]byte("user"))
	b := make([]byte, 7)
	io.ReadFull(user, b)
	fmt.Println(string(b))
	// Output:
	// loop: read timeout
	// welcome
}

// lingerer gives each connection an idle timeout of its own.
type lingerer struct{ closeReporter }

func (lingerer) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	c.SetIdleTimeout(20 * time.Millisecond)
	return nil, loop.None
}

// SetIdleTimeout closes one connection once its peer has been silent for
// the duration.
func ExampleConn_SetIdleTimeout() {
	h := lingerer{closeReporter{reason: make(chan error, 1)}}
	_, stop := serve(h)
	defer stop()

	fmt.Println(<-h.reason)
	// Output: loop: idle timeout
}

// impatient gives up on connections whose output stops moving.
type impatient struct{ flood }

func (h impatient) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	c.SetWriteTimeout(20 * time.Millisecond)
	return h.flood.OnOpen(c)
}

// SetWriteTimeout closes one connection when its queued output makes no
// progress for the duration.
func ExampleConn_SetWriteTimeout() {
	h := impatient{flood{closeReporter{reason: make(chan error, 1)}, 4 << 20}}
	e, err := loop.New(h, loop.WithLoops(1), loop.WithSocketBuffers(4096, 4096))
	if err != nil {
		log.Fatal(err)
	}
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())
	c := stalledClient(addr)
	defer c.Close()

	fmt.Println(errors.Is(<-h.reason, loop.ErrWriteTimeout))
	// Output: true
}
