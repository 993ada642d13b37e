//go:build unix

package conn

import (
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"
)

// TestMain fails the run if a test leaks descriptors or goroutines.
func TestMain(m *testing.M) {
	// Start the runtime poller so its own descriptors are in the baseline.
	if a, b, err := Socketpair(0, 0, 0); err == nil {
		a.Close()
		b.Close()
	}
	fds, gs := countFDs(), runtime.NumGoroutine()
	code := m.Run()
	if code == 0 {
		if err := settle(fds, gs); err != nil {
			fmt.Fprintln(os.Stderr, "leak check:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// settle waits (bounded) for goroutines of finished tests to exit, then
// compares descriptor and goroutine counts with the baseline.
func settle(fds, gs int) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		nf, ng := countFDs(), runtime.NumGoroutine()
		if nf <= fds && ng <= gs {
			return nil
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			return fmt.Errorf("fds %d -> %d, goroutines %d -> %d\n%s", fds, nf, gs, ng, buf[:runtime.Stack(buf, true)])
		}
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
}

func countFDs() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0
	}
	return len(ents)
}
