// Package leaktest fails a test binary that leaves descriptors or
// goroutines behind; every package's TestMain uses it.
package leaktest

import (
	"flag"
	"fmt"
	"net"
	"os"
	"runtime"
	"testing"
	"time"
)

// Main runs the tests and returns their exit code, or 1 if they passed but
// left descriptors or goroutines behind: os.Exit(leaktest.Main(m)).
// A fuzzing run is not checked: its coordinator keeps goroutines of its
// own (a signal handler) past m.Run, and the leaks that matter show in
// the plain run of the same tests.
func Main(m *testing.M) int {
	base := Take()
	code := m.Run()
	if fuzz := flag.Lookup("test.fuzz"); fuzz != nil && fuzz.Value.String() != "" {
		return code
	}
	if code == 0 {
		if err := base.Check(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return code
}

// Baseline is a count of open descriptors and goroutines to compare with.
type Baseline struct {
	fds, goroutines int
}

// Take records the current counts. The runtime's own poller opens its
// descriptors on first use of net, so Take opens them first: they belong
// to the baseline, not to a leak.
func Take() Baseline {
	if ln, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		ln.Close()
	}
	return Baseline{fds: OpenFDs(), goroutines: runtime.NumGoroutine()}
}

// patience is how long Check waits for stragglers.
var patience = 5 * time.Second

// Check waits up to five seconds for the counts to fall back to the
// baseline (closing sockets and exiting goroutines may lag the code that
// ended them) and reports what is still open if they do not.
func (b Baseline) Check() error {
	var fds, goroutines int
	for deadline := time.Now().Add(patience); ; {
		runtime.GC() // descriptors owned by finalizers close now
		fds, goroutines = OpenFDs(), runtime.NumGoroutine()
		if fds <= b.fds && goroutines <= b.goroutines {
			return nil
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	buf := make([]byte, 1<<20)
	return fmt.Errorf("leak: open fds %d -> %d %v, goroutines %d -> %d\n%s",
		b.fds, fds, FDTargets(), b.goroutines, goroutines, buf[:runtime.Stack(buf, true)])
}
