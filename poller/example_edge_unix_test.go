//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package poller_test

import (
	"fmt"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/poller"
)

// New returns a level-triggered poller by default, which reports a ready
// descriptor on every Wait; an edge-triggered one reports it once per
// change, and the caller reads until EAGAIN.
func ExampleNew() {
	for _, edge := range []bool{false, true} {
		p, err := poller.New(poller.Options{EdgeTriggered: edge})
		if err != nil {
			fmt.Println(err)
			return
		}
		fds, _ := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
		p.Add(fds[0], poller.Readable)
		unix.Write(fds[1], []byte("ping"))

		ready := make([]poller.Ready, 8)
		first, _ := p.Wait(ready, time.Second)
		second, _ := p.Wait(ready, 0) // nothing was read in between
		fmt.Println("edge-triggered:", edge, "reported", first, "then", second)

		p.Delete(fds[0])
		unix.Close(fds[0])
		unix.Close(fds[1])
		p.Close()
	}
	// Output:
	// edge-triggered: false reported 1 then 1
	// edge-triggered: true reported 1 then 0
}
