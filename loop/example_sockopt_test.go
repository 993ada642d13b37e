package loop_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sockloop/sockloop/loop"
)

// Invalid values fail New with an *OptionError naming the option; an
// option the platform lacks fails it the same way, matching
// errors.ErrUnsupported.
func ExampleWithSocketLinger() {
	_, err := loop.New(echo{}, loop.WithSocketLinger(-time.Second))
	var oe *loop.OptionError
	fmt.Println(errors.As(err, &oe), oe.Option)

	// A zero linger resets connections on close instead of ending them in
	// order, and leaves nothing in TIME_WAIT.
	e, err := loop.New(echo{}, loop.WithLoops(1), loop.WithSocketLinger(0))
	if errors.Is(err, errors.ErrUnsupported) {
		fmt.Println("unsupported here")
		return
	}
	if err != nil {
		panic(err)
	}
	e.Stop(context.Background()) // never started: this frees its loops
	fmt.Println("ok")
	// Output:
	// true WithSocketLinger
	// ok
}
