//go:build linux

package bench

import (
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// measure times run(b.N) on the calling goroutine, locked to its thread, and
// reports the metrics every benchmark of this package shares: unit per
// second (msgs/s, or conns/s), the server's and the client's CPU time per op
// (the client's is the locked thread's, the server's the rest of the
// process) and allocations per million ops (allocs/op is rounded down).
// The caller has warmed up and calls ReportAllocs or SetBytes itself.
func measure(b *testing.B, unit string, run func(n int) error) {
	b.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0 := readCPU()
	b.ResetTimer()
	if err := run(b.N); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	cpu1 := readCPU()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
	// On a shared machine CPU time per op is steadier than throughput,
	// which depends on what else gets the CPUs.
	client := cpu1.thread - cpu0.thread
	b.ReportMetric(float64(cpu1.process-cpu0.process-client)/float64(b.N), "srv-cpu-ns/op")
	b.ReportMetric(float64(client)/float64(b.N), "cli-cpu-ns/op")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)*1e6/float64(b.N), "allocs/Mmsg")
}

// reportLatency reports the median and 99th percentile of lat in
// microseconds.
func reportLatency(b *testing.B, lat *Latency) {
	b.ReportMetric(float64(lat.Quantile(0.50))/1e3, "p50-us")
	b.ReportMetric(float64(lat.Quantile(0.99))/1e3, "p99-us")
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
