package poller_test

import (
	"fmt"
	"runtime"

	"github.com/sockloop/sockloop/poller"
)

// A small io_uring ring under load says, through Overflows, how often its
// completions had to wait in the kernel's backlog: a count that keeps
// growing asks for a larger RingEntries.
func ExampleOverflows() {
	runtime.LockOSThread() // an io_uring ring belongs to one thread
	defer runtime.UnlockOSThread()
	p, err := poller.New(poller.Options{Backend: poller.IOURing, RingEntries: 64})
	if err != nil {
		p, _ = poller.New(poller.Options{}) // no io_uring here: epoll counts nothing
	}
	defer p.Close()
	// ... Add descriptors, Wait in a loop ...
	fmt.Println(poller.Overflows(p))
	// Output: 0
}
