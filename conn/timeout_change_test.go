//go:build unix

package conn

import (
	"testing"
	"time"
)

// TestSetTimeoutWhileWaiting changes the timeout while a Recv waits under
// a short one: as in CPython, the waiting call keeps the deadline it began
// with and times out, whatever the new mode (non-blocking and none
// included), and the next call runs under the new mode.
func TestSetTimeoutWhileWaiting(t *testing.T) {
	for _, next := range []time.Duration{0, NoTimeout, time.Hour} {
		a, b := tcpPair(t)
		must(t, a.SetTimeout(time.Second))
		done := make(chan error, 1)
		go func() { _, err := a.Recv(1); done <- err }()
		waitInPoller(t, a)
		must(t, a.SetTimeout(next))
		select {
		case err := <-done:
			if !isTimeout(err) {
				t.Errorf("after SetTimeout(%v): the waiting Recv returned %v, want its timeout", next, err)
			}
		case <-time.After(time.Minute):
			t.Fatalf("after SetTimeout(%v): the waiting Recv outlived its deadline by a minute", next)
		}
		if next == 0 {
			if _, err := a.Recv(1); err == nil || isTimeout(err) {
				t.Errorf("non-blocking Recv with nothing to read: %v, want would-block", err)
			}
		}
		_, err := b.Send([]byte("x"))
		must(t, err)
		if next != 0 {
			got, err := a.Recv(1)
			if err != nil || string(got) != "x" {
				t.Errorf("Recv after SetTimeout(%v): %q, %v", next, got, err)
			}
		}
	}
}

// waitInPoller returns once s has a Recv waiting in the poller: its call
// gate held, with no direct attempt under way, seen twice 10 ms apart.
func waitInPoller(t *testing.T, s *Socket) {
	t.Helper()
	inPoller := func() bool {
		if s.rop.g.mu.TryLock() {
			s.rop.g.mu.Unlock()
			return false
		}
		return !s.rop.g.busy.Load()
	}
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if inPoller() {
			time.Sleep(10 * time.Millisecond)
			if inPoller() {
				return
			}
		}
	}
	t.Fatal("Recv never waited in the poller")
}
