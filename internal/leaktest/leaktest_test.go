package leaktest

import (
	"net"
	"strings"
	"testing"
	"time"
)

func init() { patience = 200 * time.Millisecond } // the leaks below are real: no need to wait long

func TestCheckReportsALeakedDescriptor(t *testing.T) {
	if OpenFDs() < 0 {
		t.Skip("no /proc/self/fd here")
	}
	base := Take()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := base.Check(); err == nil || !strings.Contains(err.Error(), "socket") {
		t.Fatalf("Check with a listener open = %v, want a leak naming a socket", err)
	}
	ln.Close()
	if err := base.Check(); err != nil {
		t.Fatalf("Check after closing it: %v", err)
	}
}

func TestCheckReportsLeakedGoroutines(t *testing.T) {
	base := Take()
	stop := make(chan struct{})
	// Several, so that goroutines of earlier tests ending meanwhile (the
	// count is all Check compares) cannot hide the leak.
	for range 8 {
		go func() { <-stop }()
	}
	if err := base.Check(); err == nil {
		t.Fatal("Check with eight goroutines running = nil, want a leak")
	}
	close(stop)
	if err := base.Check(); err != nil {
		t.Fatalf("Check after it ended: %v", err)
	}
}
