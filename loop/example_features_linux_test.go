package loop_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"time"

	"github.com/sockloop/sockloop/loop"
	"github.com/sockloop/sockloop/poller"
	"github.com/sockloop/sockloop/sockopt"
)

// pipe joins connections two by two: what one sends reaches the other
// through a kernel pipe, never entering user space.
type pipe struct {
	loop.BaseHandler
	waiting *loop.Conn // touched only on the engine's one loop
}

func (h *pipe) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	if h.waiting == nil {
		h.waiting = c
		return nil, loop.None
	}
	other := h.waiting
	h.waiting = nil
	if other.Splice(c) != nil || c.Splice(other) != nil {
		return nil, loop.Close
	}
	return nil, loop.None
}

// Splice relays everything arriving on one connection to another of the
// same loop with splice(2), without OnTraffic and without a copy.
func ExampleConn_Splice() {
	e, err := loop.New(&pipe{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	alice, _ := net.Dial("tcp", addr.String())
	defer alice.Close()
	for e.CountConnections() < 1 {
		time.Sleep(time.Millisecond)
	}
	bob, _ := net.Dial("tcp", addr.String())
	defer bob.Close()
	alice.Write([]byte("hello, bob"))
	b := make([]byte, 10)
	io.ReadFull(bob, b)
	fmt.Println(string(b))
	// Output: hello, bob
}

// WithBackend picks io_uring; where the kernel refuses it the engine runs
// on epoll and logs why, so the program serves either way.
func ExampleWithBackend() {
	c, stop := serve(echo{}, loop.WithBackend(poller.IOURing))
	defer stop()
	fmt.Println(echoOnce(c, "on either backend"))
	// Output: on either backend
}

// WithUDPOffload lets the kernel coalesce received datagrams (GRO) and
// split large sends (GSO); OnTraffic still sees one datagram at a time.
func ExampleWithUDPOffload() {
	e, err := loop.New(echo{}, loop.WithLoops(1), loop.WithUDPOffload(true))
	if err != nil {
		log.Fatal(err)
	}
	addr, err := e.Listen("udp://127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	c, _ := net.Dial("udp", addr.String())
	defer c.Close()
	fmt.Println(echoOnce(c, "offloaded"))
	// Output: offloaded
}

// destination answers each datagram with the local address it came to.
type destination struct{ loop.BaseHandler }

func (destination) OnTraffic(c *loop.Conn) loop.Action {
	local, _, err := c.ReceivedOn()
	if err != nil {
		return loop.None
	}
	c.Write([]byte(local.String()))
	return loop.None
}

// WithAncillary has datagram sockets learn the local address each datagram
// came to (Conn.ReceivedOn) and answer from it, as a server bound to a
// wildcard address on a host with several must.
func ExampleWithAncillary() {
	e, err := loop.New(destination{}, loop.WithLoops(1), loop.WithAncillary(true))
	if err != nil {
		log.Fatal(err)
	}
	addr, err := e.Listen("udp4://127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	c, _ := net.Dial("udp", addr.String())
	defer c.Close()
	c.Write([]byte("where am I?"))
	b := make([]byte, 64)
	n, _ := c.Read(b)
	fmt.Println(string(b[:n]))
	// Output: 127.0.0.1
}

// WithFastOpen lets a returning client's SYN carry its first request.
func ExampleWithFastOpen() {
	e, err := loop.New(echo{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	addr, err := e.Listen("tcp://127.0.0.1:0", loop.WithFastOpen(128))
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	c, _ := net.Dial("tcp", addr.String())
	defer c.Close()
	fmt.Println(echoOnce(c, "fast"))
	// Output: fast
}

// WithDeferAccept has the kernel hold a connection back from accept until
// it has sent something, so the loop never wakes for a silent one.
func ExampleWithDeferAccept() {
	e, err := loop.New(echo{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	addr, err := e.Listen("tcp://127.0.0.1:0", loop.WithDeferAccept(5*time.Second))
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	c, _ := net.Dial("tcp", addr.String())
	defer c.Close()
	fmt.Println(echoOnce(c, "data first"))
	// Output: data first
}

// probe reports an option of each connection, read from its descriptor.
type probe struct {
	loop.BaseHandler
	read   func(fd int) any
	report chan any
}

func (h probe) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	h.report <- h.read(c.Fd())
	return nil, loop.Close
}

// probed opens one connection to an engine made with opts and returns what
// read found on it.
func probed(read func(fd int) any, opts ...loop.Option) any {
	h := probe{read: read, report: make(chan any, 1)}
	_, stop := serve(h, opts...)
	defer stop()
	return <-h.report
}

// WithTCPNoDelay(false) turns Nagle's algorithm back on, which the engine
// turns off by default.
func ExampleWithTCPNoDelay() {
	noDelay := func(fd int) any { on, _ := sockopt.NoDelay(fd); return on }
	fmt.Println(probed(noDelay))
	fmt.Println(probed(noDelay, loop.WithTCPNoDelay(false)))
	// Output:
	// true
	// false
}

// WithSocketBuffers sets the kernel's buffer sizes of every TCP connection;
// Linux reports twice the size asked for.
func ExampleWithSocketBuffers() {
	sizes := func(fd int) any {
		r, _ := sockopt.RecvBuffer(fd)
		s, _ := sockopt.SendBuffer(fd)
		return fmt.Sprint(r, s)
	}
	fmt.Println(probed(sizes, loop.WithSocketBuffers(32<<10, 16<<10)))
	// Output: 65536 32768
}

// WithTCPUserTimeout drops connections whose sent data stays
// unacknowledged for the duration: a peer gone without a word.
func ExampleWithTCPUserTimeout() {
	userTimeout := func(fd int) any { d, _ := sockopt.UserTimeout(fd); return d }
	fmt.Println(probed(userTimeout, loop.WithTCPUserTimeout(30*time.Second)))
	// Output: 30s
}
