package loop_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/sockloop/sockloop/loop"
)

// AsyncWritev sends a header and a body from any goroutine, in one gathered
// write.
func ExampleConn_AsyncWritev() {
	h := subscriber{conns: make(chan *loop.Conn, 1)}
	client, stop := serve(h)
	defer stop()

	conn := <-h.conns
	sent := make(chan error, 1)
	head, body := []byte("len=5;"), []byte("hello")
	conn.AsyncWritev([][]byte{head, body}, func(c *loop.Conn, err error) { sent <- err })

	b := make([]byte, len(head)+len(body))
	io.ReadFull(client, b)
	fmt.Println(string(b), <-sent)
	// Output: len=5;hello <nil>
}

// bulk queues 256 KiB when a connection opens and says when the output
// has fallen back to the low-water mark.
type bulk struct {
	loop.BaseHandler
	drained chan int
}

func (bulk) OnOpen(*loop.Conn) ([]byte, loop.Action) { return make([]byte, 256<<10), loop.None }

func (h bulk) OnDrain(c *loop.Conn) loop.Action {
	h.drained <- c.OutboundBuffered()
	return loop.None
}

// Above the high-water mark a connection stops reading; OnDrain runs once
// its output falls to the low one.
func ExampleWithWriteWatermarks() {
	h := bulk{drained: make(chan int, 1)}
	client, stop := serve(h, loop.WithWriteWatermarks(8<<10, 32<<10))
	defer stop()

	n, _ := io.ReadFull(client, make([]byte, 256<<10))
	fmt.Println(n, <-h.drained <= 8<<10)
	// Output: 262144 true
}

// told reports, from OnStop, what Loop.Stopping says.
type told struct {
	loop.BaseHandler
	stopping chan bool
}

func (h told) OnStop(c *loop.Conn) loop.Action {
	h.stopping <- c.Loop().Stopping()
	return loop.Close
}

// Stopping tells a loop's callbacks that the engine is stopping.
func ExampleLoop_Stopping() {
	h := told{stopping: make(chan bool, 1)}
	e, _ := loop.New(h, loop.WithLoops(1))
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	e.Start(context.Background())
	c, _ := net.Dial("tcp", addr.String())
	defer c.Close()
	for e.CountConnections() == 0 { // until the loop has opened it
		time.Sleep(time.Millisecond)
	}

	fmt.Println(e.Stop(context.Background()), <-h.stopping)
	// Output: <nil> true
}
