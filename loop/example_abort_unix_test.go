//go:build unix

package loop_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/sockloop/sockloop/loop"
)

// refuser answers "nope" to a client that says "bad" and aborts it.
type refuser struct{ loop.BaseHandler }

func (refuser) OnTraffic(c *loop.Conn) loop.Action {
	if b, _ := c.Next(-1); string(b) == "bad" {
		c.Abort(nil)
	}
	return loop.None
}

// Abort ends a connection with a reset: the peer reads an error, never a
// clean end, which is how a relay passes on a failure of its other side.
func ExampleConn_Abort() {
	e, _ := loop.New(refuser{}, loop.WithLoops(1))
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	e.Start(context.Background())
	defer e.Stop(context.Background())

	c, _ := net.Dial("tcp", addr.String())
	defer c.Close()
	c.Write([]byte("bad"))
	_, err := io.ReadAll(c)
	fmt.Println(errors.Is(err, syscall.ECONNRESET))
	// Output: true
}
