//go:build linux

package bench

import (
	"fmt"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestMain fails the run if the tests or benchmarks leave descriptors or
// goroutines behind.
func TestMain(m *testing.M) {
	// The runtime's own poller opens its descriptors on first use of net;
	// open them now so they count in the baseline, not as a leak.
	if ln, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		ln.Close()
	}
	fds, goroutines := openFDs(), runtime.NumGoroutine()
	code := m.Run()
	if code == 0 {
		if err := checkLeaks(fds, goroutines); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// checkLeaks waits for stragglers (closing sockets and exiting goroutines may
// lag), then compares with the baseline.
func checkLeaks(fds, goroutines int) error {
	var nowFDs, nowG int
	for range 100 {
		runtime.GC()
		nowFDs, nowG = openFDs(), runtime.NumGoroutine()
		if nowFDs <= fds && nowG <= goroutines {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	buf := make([]byte, 1<<20)
	return fmt.Errorf("leak: open fds %d -> %d, goroutines %d -> %d\n%s", fds, nowFDs, goroutines, nowG, buf[:runtime.Stack(buf, true)])
}

// openFDs counts the process's open descriptors.
func openFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	n := 0
	for _, e := range entries {
		if target, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && strings.HasPrefix(target, "/proc/") {
			continue // the ReadDir's own descriptor
		}
		n++
	}
	return n
}
