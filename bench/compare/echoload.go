//go:build linux

package main

import (
	"cmp"
	"net/netip"
	"runtime"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/bench"
)

// echoLoad drives the server at addr with bench's event-loop client for
// about dur, after a warm-up, and returns the messages echoed, the time
// taken and the median and 99th percentile round trip per message (a batch's
// round trip for each of its messages, see bench.Client). It calls mark just
// before the timed part starts and just after it ends (for the server's CPU
// time). With cpus the load runs as one client per CPU, each on a thread
// pinned to its CPU, the workload's connections shared out among them;
// without, as one client on an unpinned thread.
func echoLoad(addr string, w workload, cpus []int, dur time.Duration, mark func()) (msgs int, took, p50, p99 time.Duration, err error) {
	threads := max(len(cpus), 1)
	if threads > w.conns {
		threads = w.conns
	}
	ready := make(chan error, threads)
	start := make(chan struct{})
	done := make(chan threadResult, threads)
	for i := range threads {
		cpu := -1
		if len(cpus) > 0 {
			cpu = cpus[i]
		}
		conns := w.conns / threads
		if i < w.conns%threads {
			conns++
		}
		go func() {
			n, t, lat, err := echoClient(addr, w, conns, cpu, dur, ready, start)
			done <- threadResult{n, t, lat, err}
		}()
	}
	// Every client connects and warms up before the timer starts for all.
	return startThreads(threads, ready, start, done, mark)
}

// threadResult is what one thread of a load reports: its operations
// (messages or connections), how long it ran, its latencies.
type threadResult struct {
	ops  int
	took time.Duration
	lat  *bench.Latency
	err  error
}

// startThreads waits until every thread of a load is ready, starts them
// together between two marks, and sums what they report.
func startThreads(threads int, ready <-chan error, start chan struct{}, done <-chan threadResult, mark func()) (ops int, took, p50, p99 time.Duration, err error) {
	for range threads {
		err = cmp.Or(err, <-ready)
	}
	mark()
	close(start)
	var lat bench.Latency
	for range threads {
		r := <-done
		err = cmp.Or(err, r.err)
		ops += r.ops
		took = max(took, r.took)
		if r.lat != nil {
			lat.Merge(r.lat)
		}
	}
	mark()
	if err != nil {
		return 0, 0, 0, 0, err
	}
	return ops, took, lat.Quantile(0.50), lat.Quantile(0.99), nil
}

// echoClient is one thread of echoLoad: pinned to cpu (unless -1), it dials
// conns connections, warms them up, reports on ready, and runs from start
// until dur has passed.
func echoClient(addr string, w workload, conns, cpu int, dur time.Duration, ready chan<- error, start <-chan struct{}) (msgs int, took time.Duration, lat *bench.Latency, err error) {
	// Locked and never unlocked: the runtime ends the thread with the
	// goroutine, so no thread pinned to one CPU goes back to its pool.
	runtime.LockOSThread()
	// A failure before ready is reported there; the caller still closes
	// start, and a failed client then returns at once.
	var c *bench.Client
	defer func() {
		if c != nil {
			c.Close()
		}
	}()
	err = func() error {
		if cpu >= 0 {
			// sched_setaffinity with pid 0 pins only this thread, which is
			// this goroutine's until it returns.
			var one unix.CPUSet
			one.Set(cpu)
			if err := unix.SchedSetaffinity(0, &one); err != nil {
				return err
			}
		}
		var err error
		if c, err = bench.Dial(netip.MustParseAddrPort(addr), conns, w.size, w.depth); err != nil {
			return err
		}
		// Every connection round-trips a few full batches before the timer.
		return c.Run(conns * w.depth * 4)
	}()
	ready <- err
	<-start
	if err != nil {
		return 0, 0, nil, err
	}
	// Run waits for all of its messages, so the connections idle briefly
	// at the end of each chunk; 32 batches per connection keep that small.
	chunk := conns * w.depth * 32
	c.Latency().Reset()
	begin := time.Now()
	for time.Since(begin) < dur {
		if err := c.Run(chunk); err != nil {
			return 0, 0, nil, err
		}
		msgs += chunk
	}
	return msgs, time.Since(begin), c.Latency(), nil
}
