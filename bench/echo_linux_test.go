//go:build linux

package bench

import (
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// BenchmarkEcho echoes messages through each server with the event-loop
// client. One op is one message echoed and checked. The servers alternate
// within each configuration, so drift of the machine's speed hits both alike.
//
//	go test -run XXX -bench . -benchmem -count 6 ./bench/ | tee new.txt
//	benchstat -col /server new.txt
func BenchmarkEcho(b *testing.B) {
	for _, conns := range []int{100, 1000} {
		for _, size := range []int{64, 4096} {
			for _, depth := range []int{1, 16} {
				for _, sk := range serverKinds() {
					name := fmt.Sprintf("server=%s/conns=%d/size=%d/depth=%d", sk.name, conns, size, depth)
					b.Run(name, func(b *testing.B) { benchEcho(b, sk, conns, size, depth) })
				}
			}
		}
	}
}

func benchEcho(b *testing.B, sk serverKind, conns, size, depth int) {
	srv, err := sk.start()
	if errors.Is(err, errNoBackend) {
		b.Skip(err)
	}
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		if err := srv.Close(); err != nil {
			b.Errorf("closing the %s server: %v", sk.name, err)
		}
	}()
	c, err := Dial(srv.Addr(), conns, size, depth)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// Warm up: every connection round-trips a full pipeline, so the server
	// has accepted them all and grown whatever it grows per connection.
	if err := c.Run(2 * conns * depth); err != nil {
		b.Fatal(err)
	}
	c.Latency().Reset()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0 := readCPU()
	b.ResetTimer()
	if err := c.Run(b.N); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	cpu1 := readCPU()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	// Round trip per message: a batch's, from its write to its last byte
	// back (see Client).
	lat := c.Latency()
	b.ReportMetric(float64(lat.Quantile(0.50))/1e3, "p50-us")
	b.ReportMetric(float64(lat.Quantile(0.99))/1e3, "p99-us")
	// CPU time per message: the client's is its locked thread's, the
	// server's is the rest of the process (its loops or goroutines, plus
	// the runtime's background work). On a shared machine this is steadier
	// than throughput, which depends on what else gets the CPUs.
	client := cpu1.thread - cpu0.thread
	b.ReportMetric(float64(cpu1.process-cpu0.process-client)/float64(b.N), "srv-cpu-ns/op")
	b.ReportMetric(float64(client)/float64(b.N), "cli-cpu-ns/op")
	// allocs/op is rounded down to a whole number; this shows the rest.
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)*1e6/float64(b.N), "allocs/Mmsg")
}

// cpuTimes are CPU times (user plus system) of the process and of the
// calling thread.
type cpuTimes struct{ process, thread time.Duration }

func readCPU() cpuTimes {
	var p, t unix.Rusage
	unix.Getrusage(unix.RUSAGE_SELF, &p)
	unix.Getrusage(unix.RUSAGE_THREAD, &t)
	return cpuTimes{process: rusageCPU(&p), thread: rusageCPU(&t)}
}

func rusageCPU(r *unix.Rusage) time.Duration {
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}
