// Package sched tells an event loop whether goroutines wait for a processor.
//
// A loop locked to its thread that is about to block can hold its P while it
// waits (a raw io_uring wait) or leave it to the runtime to take back (a
// wait the scheduler sees, retaken by sysmon after 20 us or more). Either
// way goroutines that are ready to run may wait for that P: a handler's
// work handed to a worker pool, say. When some do, the loop should give its
// P up before it blocks.
package sched

import "runtime/metrics"

const runnable = "/sched/goroutines/runnable:goroutines"

// Probe reads the runtime's count of goroutines ready to run; one per loop,
// since concurrent reads must not share their samples.
type Probe struct {
	s [1]metrics.Sample
}

// NewProbe returns a probe of the runnable goroutines.
func NewProbe() *Probe {
	p := new(Probe)
	p.s[0].Name = runnable
	return p
}

// Waiting reports whether goroutines are ready to run but not running. It
// costs about 55 ns (one runtime/metrics read) and does not allocate; on a
// runtime without the metric it reports false.
func (p *Probe) Waiting() bool {
	metrics.Read(p.s[:])
	v := p.s[0].Value
	return v.Kind() == metrics.KindUint64 && v.Uint64() > 0
}
