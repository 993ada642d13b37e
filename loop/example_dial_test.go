package loop_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/sockloop/sockloop/loop"
)

// selfDialer echoes what its listener accepts, and on the connections it
// dials sends a greeting and reports the answer.
type selfDialer struct {
	loop.BaseHandler
	answers chan string
	failed  chan error
}

func (d *selfDialer) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	if c.Dialed() {
		return []byte("hello"), loop.None
	}
	return nil, loop.None
}

func (d *selfDialer) OnTraffic(c *loop.Conn) loop.Action {
	if !c.Dialed() {
		b, _ := c.Next(-1)
		c.Write(b)
		return loop.None
	}
	if c.InboundBuffered() < len("hello") {
		return loop.None // the rest is on its way
	}
	b, _ := c.Next(-1)
	d.answers <- string(b)
	return loop.Close
}

func (d *selfDialer) OnDialError(c *loop.Conn, err error) loop.Action {
	d.failed <- err
	return loop.None
}

// Loop.DialContext takes a host name: the connection is returned at once,
// the name is looked up off the loop, and the connect runs on the loop
// that dialed.
func ExampleLoop_DialContext() {
	d := &selfDialer{answers: make(chan string, 1), failed: make(chan error, 1)}
	e, _ := loop.New(d, loop.WithLoops(1))
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	e.Start(context.Background())
	defer e.Stop(context.Background())

	_, port, _ := net.SplitHostPort(addr.String())
	l := e.Loops()[0]
	l.Submit(func() { // as a handler's callback would, on the loop
		l.DialContext(context.Background(), "tcp4", net.JoinHostPort("localhost", port), nil)
	})
	select {
	case answer := <-d.answers:
		fmt.Println(answer)
	case err := <-d.failed:
		fmt.Println(err)
	}
	// Output: hello
}

// WithResolver chooses the resolver of dials by name; this one reaches no
// name server, so a name the hosts file lacks fails, and the dial's
// handler hears why.
func ExampleWithResolver() {
	offline := &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		return nil, errors.New("offline")
	}}
	d := &selfDialer{answers: make(chan string, 1), failed: make(chan error, 1)}
	e, _ := loop.New(d, loop.WithLoops(1), loop.WithResolver(offline))
	e.Start(context.Background())
	defer e.Stop(context.Background())

	l := e.Loops()[0]
	l.Submit(func() { l.Dial("tcp", "db.example.invalid:5432", nil) })
	err := <-d.failed
	var ae *loop.AddrError
	var dns *net.DNSError
	fmt.Println(errors.As(err, &ae), errors.As(err, &dns), dns.Name)
	// Output: true true db.example.invalid
}

// WithDialTimeout bounds every dial's connect; a dial that connects in time
// is untouched, and one that does not reaches OnDialError with
// loop.ErrDialTimeout, a deadline.
func ExampleWithDialTimeout() {
	d := &selfDialer{answers: make(chan string, 1), failed: make(chan error, 1)}
	e, _ := loop.New(d, loop.WithLoops(1), loop.WithDialTimeout(5*time.Second))
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	e.Start(context.Background())
	defer e.Stop(context.Background())

	e.Dial("tcp", addr.String(), nil)
	select {
	case answer := <-d.answers:
		fmt.Println(answer)
	case err := <-d.failed:
		fmt.Println(errors.Is(err, loop.ErrDialTimeout), errors.Is(err, os.ErrDeadlineExceeded))
	}
	// Output: hello
}
