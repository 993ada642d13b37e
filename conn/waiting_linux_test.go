package conn

import (
	"bufio"
	"errors"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestWaitersHoldNoThreads parks many blocking Recv calls and checks that
// the process does not grow an OS thread per waiting socket.
func TestWaitersHoldNoThreads(t *testing.T) {
	const n = 200
	errs := make(chan error, n)
	var socks []*Socket
	for range n {
		a, _ := mustPair(t, AF_UNIX, SOCK_STREAM)
		socks = append(socks, a)
		go func() { _, err := a.Recv(1); errs <- err }()
	}
	// Wait (bounded) until every Recv is parked in the poller.
	deadline := time.Now().Add(10 * time.Second)
	for countIOWait() < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d goroutines reached IO wait", countIOWait(), n)
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
	if th := threads(t); th >= n/2 {
		t.Errorf("%d OS threads for %d waiting sockets", th, n)
	}
	for _, s := range socks {
		s.Close()
	}
	for range n {
		if err := <-errs; !errors.Is(err, net.ErrClosed) {
			t.Errorf("waiter: %v", err)
		}
	}
}

func countIOWait() int {
	buf := make([]byte, 8<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return strings.Count(string(buf), "[IO wait")
}

func threads(t *testing.T) int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "Threads:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	t.Skip("no Threads line")
	return 0
}
