package conn

import (
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"
)

// TestMain fails the run if a test leaks sockets (handles not closed) or
// goroutines.
func TestMain(m *testing.M) {
	// Start the completion port and its goroutine so they are in the baseline.
	if a, b, err := Socketpair(0, 0, 0); err == nil {
		a.Close()
		b.Close()
	}
	gs := runtime.NumGoroutine()
	code := m.Run()
	if code == 0 {
		if err := settle(gs); err != nil {
			fmt.Fprintln(os.Stderr, "leak check:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// settle waits (bounded) for finished tests' goroutines to exit, then
// checks that every Socket was closed and no goroutine is left over.
func settle(gs int) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		ns, ng := liveSockets.Load(), runtime.NumGoroutine()
		if ns == 0 && ng <= gs {
			return nil
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			return fmt.Errorf("%d sockets open, goroutines %d -> %d\n%s", ns, gs, ng, buf[:runtime.Stack(buf, true)])
		}
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
}
