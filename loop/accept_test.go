package loop

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// syncBuffer is a log sink safe for the loop's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestAcceptOutOfDescriptorsPausesAndResumes(t *testing.T) {
	for _, errno := range exhaustionErrnos {
		t.Run(errno.Error(), func(t *testing.T) {
			var calls, failures atomic.Int32
			acceptHook = func(fd int) (int, sockaddr, error) {
				calls.Add(1)
				if failures.Load() < 4 {
					// Fail while a connection is pending, as a full descriptor
					// table does: level-triggered polling would spin here.
					failures.Add(1)
					return -1, nil, errno
				}
				return sysAccept(fd)
			}
			ringAccept = false // the hook sits in accept(2)'s path
			t.Cleanup(func() { acceptHook, ringAccept = sysAccept, true })
			var logs syncBuffer
			h := newEchoHandler()
			_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"},
				WithLoops(1), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			c := dial(t, addrs[0])
			if err := echoRoundTrip(c, 1, 1000); err != nil {
				t.Fatalf("connection not served after the failures passed: %v", err)
			}
			// Four failures, then the accept that succeeded, then EAGAIN: a
			// loop that spun would have called accept many more times.
			if got := calls.Load(); got > 8 {
				t.Errorf("accept called %d times for 4 failures: the loop spun", got)
			}
			if n := strings.Count(logs.String(), "pausing accepts"); n != 1 {
				t.Errorf("logged the pause %d times, want once:\n%s", n, logs.String())
			}
		})
	}
}
