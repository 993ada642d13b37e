//go:build linux

package main

import (
	"net/netip"
	"runtime"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/bench"
)

// echoLoad drives the server at addr with bench's event-loop client for
// about dur, after a warm-up, and returns the messages echoed, the time
// taken and the median and 99th percentile round trip per message (a batch's
// round trip for each of its messages, see bench.Client). It calls mark just before the timed part starts and just after it
// ends (for the server's CPU time). The calling goroutine is locked to its
// thread, which the driver has pinned to CPU 1 in the per-core set-up.
func echoLoad(addr string, w workload, pin bool, dur time.Duration, mark func()) (msgs int, took, p50, p99 time.Duration, err error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if pin {
		// sched_setaffinity with pid 0 pins only this thread.
		var one, all unix.CPUSet
		unix.SchedGetaffinity(0, &all)
		one.Set(1)
		if err := unix.SchedSetaffinity(0, &one); err != nil {
			return 0, 0, 0, 0, err
		}
		defer unix.SchedSetaffinity(0, &all)
	}
	c, err := bench.Dial(netip.MustParseAddrPort(addr), w.conns, w.size, w.depth)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	defer c.Close()
	// Every connection round-trips a few full batches before the timer.
	if err := c.Run(w.conns * w.depth * 4); err != nil {
		return 0, 0, 0, 0, err
	}
	// Run waits for all of its messages, so the connections idle briefly
	// at the end of each chunk; 32 batches per connection keep that small.
	chunk := w.conns * w.depth * 32
	c.Latency().Reset()
	mark()
	start := time.Now()
	for time.Since(start) < dur {
		if err := c.Run(chunk); err != nil {
			return 0, 0, 0, 0, err
		}
		msgs += chunk
	}
	took = time.Since(start)
	mark()
	lat := c.Latency()
	return msgs, took, lat.Quantile(0.50), lat.Quantile(0.99), nil
}
