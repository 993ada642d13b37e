package loop_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/sockloop/sockloop/loop"
)

// The engine's counters after one echoed message: a Stats snapshot is
// cheap and safe from any goroutine.
func ExampleEngine_Stats() {
	e, _ := loop.New(echo{}, loop.WithLoops(1))
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	e.Start(context.Background())
	defer e.Stop(context.Background())

	c, _ := net.Dial("tcp", addr.String())
	c.Write([]byte("hello"))
	io.ReadFull(c, make([]byte, 5))
	c.Close()
	for e.Stats().ClosedOrderly == 0 { // published at the end of the loop's turn
		time.Sleep(time.Millisecond)
	}
	s := e.Stats()
	fmt.Println(s.Accepted, s.Open, s.BytesIn, s.BytesOut, s.ClosedOrderly)
	// Output: 1 0 5 5 1
}

// An exporter in the Prometheus text format is a loop over All.
func ExampleStats_All() {
	e, _ := loop.New(echo{}, loop.WithLoops(2))
	defer e.Stop(context.Background())
	for name, v := range e.Stats().All() {
		kind := "counter"
		if name == "open" {
			kind = "gauge"
		}
		fmt.Fprintf(os.Stdout, "# TYPE sockloop_%s %s\nsockloop_%s %d\n", name, kind, name, v)
		if name == "open" {
			break // the example prints the first four
		}
	}
	// Output:
	// # TYPE sockloop_accepted counter
	// sockloop_accepted 0
	// # TYPE sockloop_dialed counter
	// sockloop_dialed 0
	// # TYPE sockloop_dial_failed counter
	// sockloop_dial_failed 0
	// # TYPE sockloop_open gauge
	// sockloop_open 0
}

// Each loop has its own counters; the engine's are their sum.
func ExampleLoop_Stats() {
	e, _ := loop.New(echo{}, loop.WithLoops(2))
	defer e.Stop(context.Background())
	for _, l := range e.Loops() {
		fmt.Println(l.Index(), l.Stats().Accepted)
	}
	// Output:
	// 0 0
	// 1 0
}
