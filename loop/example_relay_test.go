package loop_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"

	"github.com/sockloop/sockloop/loop"
)

// relayProxy dials upstream for every client on the client's loop and
// relays the two to each other; each side's Context is the other side.
type relayProxy struct {
	loop.BaseHandler
	upstream string
}

func (p *relayProxy) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	if c.Dialed() {
		return nil, loop.None // the upstream, relayed already
	}
	up, err := c.Loop().Dial("tcp", p.upstream, c)
	if err != nil || c.Relay(up) != nil || up.Relay(c) != nil {
		return nil, loop.Close
	}
	c.SetContext(up)
	return nil, loop.None
}

// OnClose ends the pair: a relay stops reading once its destination closes.
func (p *relayProxy) OnClose(c *loop.Conn, err error) loop.Action {
	if other, ok := c.Context().(*loop.Conn); ok {
		other.Close()
	}
	return loop.None
}

// Relay makes a TCP proxy in a few lines: the loop moves the bytes both
// ways with backpressure, copying small reads and splicing bulk (Linux).
func ExampleConn_Relay() {
	upstream, _ := net.Listen("tcp", "127.0.0.1:0")
	defer upstream.Close()
	go func() { // an echo server behind the proxy
		for {
			c, err := upstream.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(c, c); c.Close() }()
		}
	}()

	e, err := loop.New(&relayProxy{upstream: upstream.Addr().String()}, loop.WithLoops(1))
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
	c.Write([]byte("through the proxy"))
	b := make([]byte, len("through the proxy"))
	io.ReadFull(c, b)
	fmt.Println(string(b))
	// Output: through the proxy
}
