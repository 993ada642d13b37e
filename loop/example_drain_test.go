package loop_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"time"

	"github.com/sockloop/sockloop/loop"
)

// lineServer answers each line with "ok"; while the engine stops, it
// finishes the line under way and closes after its answer.
type lineServer struct{ loop.BaseHandler }

func (lineServer) OnTraffic(c *loop.Conn) loop.Action {
	for {
		line, _ := c.Peek(-1)
		end := -1
		for i, b := range line {
			if b == '\n' {
				end = i
				break
			}
		}
		if end < 0 {
			return loop.None // a partial line: wait for the rest
		}
		c.Discard(end + 1)
		c.Write([]byte("ok\n"))
		if c.Loop().Stopping() {
			return loop.Close // a request boundary
		}
	}
}

// OnStop closes an idle connection and keeps one with a partial line.
func (lineServer) OnStop(c *loop.Conn) loop.Action {
	if c.InboundBuffered() == 0 {
		return loop.Close
	}
	return loop.None
}

// A graceful drain: the stop waits for the request under way, up to its
// context's deadline.
func ExampleStopHandler() {
	e, _ := loop.New(lineServer{}, loop.WithLoops(1))
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	e.Start(context.Background())

	c, _ := net.Dial("tcp", addr.String())
	defer c.Close()
	fmt.Fprint(c, "half a li")
	time.Sleep(50 * time.Millisecond) // the half line reaches the server

	stopped := make(chan error)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		stopped <- e.Stop(ctx)
	}()
	fmt.Fprint(c, "ne\n")
	answer, _ := bufio.NewReader(c).ReadString('\n')
	fmt.Print(answer)
	fmt.Println(<-stopped)
	// Output:
	// ok
	// <nil>
}
