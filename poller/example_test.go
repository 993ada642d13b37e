//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package poller_test

import (
	"fmt"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/poller"
)

// A poller reports the end of a socketpair as readable once its peer writes.
func Example() {
	p, err := poller.New(poller.Options{})
	if err != nil {
		panic(err)
	}
	defer p.Close()
	fds, _ := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	defer unix.Close(fds[0])
	defer unix.Close(fds[1])

	p.Add(fds[0], poller.Readable)
	unix.Write(fds[1], []byte("ping"))

	ready := make([]poller.Ready, 8)
	n, _ := p.Wait(ready, time.Second)
	fmt.Println(n, ready[0].Fd == fds[0], ready[0].Events)
	// Output: 1 true Readable
}
