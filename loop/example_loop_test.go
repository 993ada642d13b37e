package loop_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"time"

	"github.com/sockloop/sockloop/loop"
)

// Every runs a function on the loop at each interval until its Timer is
// stopped, here from the function itself.
func ExampleLoop_Every() {
	e, err := loop.New(loop.BaseHandler{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	ticks := make(chan int, 3)
	n := 0 // touched only on the loop
	var t *loop.Timer
	started := make(chan struct{})
	t = e.Loops()[0].Every(time.Millisecond, func() {
		<-started // t is set
		n++
		ticks <- n
		if n == 3 {
			t.Stop()
		}
	})
	close(started)
	fmt.Println(<-ticks, <-ticks, <-ticks)
	// Output: 1 2 3
}

// Submit runs a function on the loop's goroutine, where calls meant for the
// loop (Conns, Write, Dial) are allowed.
func ExampleLoop_Submit() {
	e, err := loop.New(loop.BaseHandler{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())
	c, _ := net.Dial("tcp", addr.String())
	defer c.Close()
	l := e.Loops()[0]
	for l.CountConnections() < 1 {
		time.Sleep(time.Millisecond)
	}

	done := make(chan struct{})
	l.Submit(func() {
		for conn := range l.Conns() {
			conn.Write([]byte("announcement"))
		}
		close(done)
	})
	<-done
	b := make([]byte, 12)
	io.ReadFull(c, b)
	fmt.Println(string(b))
	// Output: announcement
}

// translator answers words from a table it finds on its loop.
type translator struct{ loop.BaseHandler }

func (translator) OnTraffic(c *loop.Conn) loop.Action {
	word, _ := c.Next(-1)
	table := c.Loop().Value().(map[string]string)
	c.Write([]byte(table[string(word)]))
	return loop.None
}

// SetValue gives each loop a value of the handler's own, such as a cache:
// each connection reaches its loop's without a lock.
func ExampleLoop_SetValue() {
	e, err := loop.New(translator{}, loop.WithLoops(2))
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range e.Loops() {
		l.SetValue(map[string]string{"hello": "bonjour"}) // a copy per loop
	}
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	c, _ := net.Dial("tcp", addr.String())
	defer c.Close()
	c.Write([]byte("hello"))
	b := make([]byte, 7)
	io.ReadFull(c, b)
	fmt.Println(string(b))
	// Output: bonjour
}

// relay connects each client to an upstream, dialed from the client's own
// loop so that both sides share it, and forwards what the upstream sends.
type relay struct {
	loop.BaseHandler
	upstream string
}

func (h relay) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	if c.Dialed() {
		return nil, loop.None // the upstream side; its Context is the client
	}
	up, err := c.Loop().Dial("tcp", h.upstream, c)
	if err != nil {
		return nil, loop.Close
	}
	c.SetContext(up)
	return nil, loop.None
}

func (relay) OnTraffic(c *loop.Conn) loop.Action {
	b, _ := c.Next(-1)
	c.Context().(*loop.Conn).Write(b) // the same loop: written without a copy
	return loop.None
}

func (relay) OnClose(c *loop.Conn, err error) loop.Action {
	c.Context().(*loop.Conn).Close()
	return loop.None
}

// Loop.Dial connects from inside a loop, so that a proxy's two
// connections live on the same loop.
func ExampleLoop_Dial() {
	up, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer up.Close()
	go func() {
		c, err := up.Accept()
		if err != nil {
			return
		}
		c.Write([]byte("hi from upstream"))
		c.Close()
	}()

	c, stop := serve(relay{upstream: up.Addr().String()})
	defer stop()
	b, _ := io.ReadAll(c) // until the upstream's close reaches the client
	fmt.Println(string(b))
	// Output: hi from upstream
}

// A Timer's Stop cancels it before it runs.
func ExampleTimer_Stop() {
	e, err := loop.New(loop.BaseHandler{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	t := e.Loops()[0].AfterFunc(time.Hour, func() { fmt.Println("never") })
	fmt.Println(t.Stop())
	fmt.Println(t.Stop()) // already stopped
	// Output:
	// true
	// false
}

// A Timer's Reset schedules it again from now: a deadline pushed back, or
// here brought forward.
func ExampleTimer_Reset() {
	e, err := loop.New(loop.BaseHandler{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	fired := make(chan string, 1)
	t := e.Loops()[0].AfterFunc(time.Hour, func() { fired <- "fired" })
	fmt.Println(t.Reset(time.Millisecond))
	fmt.Println(<-fired)
	// Output:
	// true
	// fired
}
