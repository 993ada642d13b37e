//go:build unix

package loop_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/sockloop/sockloop/loop"
)

// ListenerFiles hands an engine's sockets to its successor, here a second
// engine of the same process; a restart hands them to a new process
// through exec.Cmd's ExtraFiles (see examples/restart). Connections that
// arrive while the sockets change hands wait in their queues.
func ExampleEngine_ListenerFiles() {
	old, _ := loop.New(echo{}, loop.WithLoops(2))
	addr, _ := old.Listen("tcp://127.0.0.1:0")
	old.Start(context.Background())

	files, err := old.ListenerFiles() // one per socket: two with SO_REUSEPORT
	if err != nil {
		panic(err)
	}
	successor, _ := loop.New(echo{}, loop.WithLoops(2))
	for _, f := range files {
		fd, _ := syscall.Dup(int(f.Fd())) // the engine owns what it is given
		f.Close()
		successor.ListenFD(fd)
	}
	old.Stop(context.Background()) // closes its own descriptors only

	c, _ := net.Dial("tcp", addr.String()) // queued until the successor starts
	defer c.Close()
	c.Write([]byte("handed over"))
	successor.Start(context.Background())
	defer successor.Stop(context.Background())
	buf := make([]byte, 11)
	io.ReadFull(c, buf)
	fmt.Println(string(buf))
	// Output: handed over
}

// StopAccepting closes the listeners and serves the open connections on,
// the first half of a handover's end; Stop then ends those that remain.
func ExampleEngine_StopAccepting() {
	e, _ := loop.New(echo{}, loop.WithLoops(1))
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	e.Start(context.Background())
	defer e.Stop(context.Background())

	open, _ := net.Dial("tcp", addr.String())
	defer open.Close()
	open.Write([]byte("a"))
	io.ReadFull(open, make([]byte, 1)) // served: the engine holds it

	e.StopAccepting()
	_, err := net.Dial("tcp", addr.String())
	fmt.Println(err != nil) // nobody holds the socket any more
	open.Write([]byte("still served"))
	buf := make([]byte, 12)
	io.ReadFull(open, buf)
	fmt.Println(string(buf))
	// Output:
	// true
	// still served
}
