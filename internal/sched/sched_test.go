package sched

import (
	"runtime"
	"sync"
	"testing"
)

// TestWaitingSeesRunnableGoroutines holds the only P while goroutines are
// ready to run, so they wait for it, and checks the probe says so; once
// they have run, it must not.
func TestWaitingSeesRunnableGoroutines(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	p := NewProbe()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() { wg.Done() }()
	}
	// Nothing here lets the new goroutines run: this goroutine keeps the
	// one P until it blocks in wg.Wait.
	if !p.Waiting() {
		t.Error("Waiting false with four goroutines ready and the one P held")
	}
	wg.Wait()
	// The runtime's own goroutines (GC workers, the test runner) may be
	// ready now and then; once ours have run, some reading must be false.
	for range 1000 {
		runtime.Gosched()
		if !p.Waiting() {
			return
		}
	}
	t.Error("Waiting still true after every goroutine ran")
}

func TestWaitingAllocatesNothing(t *testing.T) {
	p := NewProbe()
	if n := testing.AllocsPerRun(100, func() { p.Waiting() }); n != 0 {
		t.Errorf("%v allocations a call", n)
	}
}

func BenchmarkWaiting(b *testing.B) {
	p := NewProbe()
	for b.Loop() {
		p.Waiting()
	}
}
