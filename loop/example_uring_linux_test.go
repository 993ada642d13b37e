package loop_test

import (
	"context"
	"log"

	"github.com/sockloop/sockloop/loop"
	"github.com/sockloop/sockloop/poller"
)

// An engine on io_uring with its completion path turned off: the rings
// report readiness only, as on kernels before 6.0, which is how one
// measures what the completion path buys, or steps around a kernel that
// mishandles it.
func ExampleWithURingOff() {
	e, err := loop.New(echo{},
		loop.WithBackend(poller.IOURing),
		loop.WithURingOff(poller.URingCompletion),
		loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := e.Listen("tcp://127.0.0.1:0"); err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	log.Println("serving on", e.Backend())
	e.Stop(context.Background())
}

// An engine on io_uring whose loops keep their Ps through the first
// millisecond of each wait: for a server with as many loops as GOMAXPROCS
// whose handlers do not hand work to other goroutines.
func ExampleWithRawWait() {
	e, err := loop.New(echo{},
		loop.WithBackend(poller.IOURing),
		loop.WithRawWait(poller.MaxRawWait),
		loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := e.Listen("tcp://127.0.0.1:0"); err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	log.Println("serving on", e.Backend())
	e.Stop(context.Background())
}
