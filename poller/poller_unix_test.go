//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package poller_test

import (
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/poller"
)

func socketpair(t *testing.T) (a, b int) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range fds {
		if err := unix.SetNonblock(fd, true); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { unix.Close(fds[0]); unix.Close(fds[1]) })
	return fds[0], fds[1]
}

// testBackends are the backends every test here runs against: the
// platform's default, and on Linux each backend (backend_linux_test.go).
var testBackends = []poller.Backend{poller.Default}

// eachBackend runs f as a subtest per backend, its goroutine locked to its
// thread for io_uring (lockForRing).
func eachBackend(t *testing.T, f func(t *testing.T, b poller.Backend)) {
	for _, b := range testBackends {
		name := string(b)
		if name == "" {
			name = "default"
		}
		t.Run(name, func(t *testing.T) {
			lockForRing(b)
			f(t, b)
		})
	}
}

// lockForRing locks the calling goroutine to its thread for good where b is
// io_uring, whose ring belongs to the thread that made it. t.Run starts a
// goroutine per subtest, so every subtest that makes a ring locks its own.
// The lock is never undone, so the thread ends with the test: a ring torn
// down after its thread moved on queues task work there, which interrupts
// that thread's next blocking system call (epoll_wait returns EINTR), and
// other tests would see it.
func lockForRing(b poller.Backend) {
	if b == poller.IOURing {
		runtime.LockOSThread()
	}
}

// newPoller returns a poller closed when the test ends, and skips the test
// where the backend is unavailable; it calls lockForRing.
func newPoller(t *testing.T, opts poller.Options) poller.Poller {
	t.Helper()
	lockForRing(opts.Backend)
	p, err := poller.New(opts)
	if errors.Is(err, errors.ErrUnsupported) && opts.Backend != poller.Default {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Error(err)
		}
	})
	return p
}

// find returns the events Wait reported for fd, waiting up to a generous
// bound so that a slow machine does not fail the test.
func waitFor(t *testing.T, p poller.Poller, fd int) poller.Event {
	t.Helper()
	ready := make([]poller.Ready, 16)
	n, err := p.Wait(ready, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var got poller.Event
	for _, r := range ready[:n] {
		if r.Fd == fd {
			got |= r.Events
		}
	}
	return got
}

func TestReadableAndWritable(t *testing.T) {
	eachBackend(t, func(t *testing.T, be poller.Backend) {
		for _, tc := range []struct {
			name string
			opts poller.Options
		}{
			{name: "level", opts: poller.Options{Backend: be}},
			{name: "edge", opts: poller.Options{Backend: be, EdgeTriggered: true}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := newPoller(t, tc.opts)
				a, b := socketpair(t)
				if err := p.Add(a, poller.Readable); err != nil {
					t.Fatal(err)
				}
				if _, err := unix.Write(b, []byte("x")); err != nil {
					t.Fatal(err)
				}
				if ev := waitFor(t, p, a); ev&poller.Readable == 0 {
					t.Fatalf("after a write by the peer: events %v, want Readable", ev)
				}
				if err := p.Modify(a, poller.Readable|poller.Writable); err != nil {
					t.Fatal(err)
				}
				if ev := waitFor(t, p, a); ev&poller.Writable == 0 {
					t.Fatalf("with write interest on an empty send buffer: events %v, want Writable", ev)
				}
			})
		}
	})
}

func TestLevelReportsAgainEdgeDoesNot(t *testing.T) {
	eachBackend(t, func(t *testing.T, be poller.Backend) {
		for _, tc := range []struct {
			name      string
			opts      poller.Options
			wantAgain bool
		}{
			{name: "level", opts: poller.Options{Backend: be}, wantAgain: true},
			{name: "edge", opts: poller.Options{Backend: be, EdgeTriggered: true}, wantAgain: false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := newPoller(t, tc.opts)
				a, b := socketpair(t)
				if err := p.Add(a, poller.Readable); err != nil {
					t.Fatal(err)
				}
				unix.Write(b, []byte("unread"))
				if ev := waitFor(t, p, a); ev&poller.Readable == 0 {
					t.Fatalf("first Wait: %v, want Readable", ev)
				}
				// Nothing was read: level-triggered reports it again, edge does not.
				for i := range 3 {
					ready := make([]poller.Ready, 4)
					n, err := p.Wait(ready, 0)
					if err != nil {
						t.Fatal(err)
					}
					if again := n > 0 && ready[0].Fd == a; again != tc.wantAgain {
						t.Fatalf("Wait %d after the first reported fd again = %v, want %v", i+2, again, tc.wantAgain)
					}
				}
			})
		}
	})
}

func TestHangupReportedWithoutInterest(t *testing.T) {
	eachBackend(t, func(t *testing.T, be poller.Backend) {
		p := newPoller(t, poller.Options{Backend: be})
		a, b := socketpair(t)
		if err := p.Add(a, poller.Readable); err != nil {
			t.Fatal(err)
		}
		unix.Shutdown(b, unix.SHUT_RDWR)
		if ev := waitFor(t, p, a); ev&(poller.Hangup|poller.Readable) == 0 {
			t.Fatalf("after the peer shut down: %v, want Hangup or Readable", ev)
		}
	})
}

func TestDeleteStopsReports(t *testing.T) {
	eachBackend(t, func(t *testing.T, be poller.Backend) {
		p := newPoller(t, poller.Options{Backend: be})
		a, b := socketpair(t)
		if err := p.Add(a, poller.Readable); err != nil {
			t.Fatal(err)
		}
		if err := p.Delete(a); err != nil {
			t.Fatal(err)
		}
		unix.Write(b, []byte("x"))
		ready := make([]poller.Ready, 4)
		n, err := p.Wait(ready, 10*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("Wait after Delete reported %v", ready[:n])
		}
	})
}

func TestDeleteAfterReportStopsReports(t *testing.T) {
	eachBackend(t, func(t *testing.T, be poller.Backend) {
		for _, edge := range []bool{false, true} {
			p := newPoller(t, poller.Options{Backend: be, EdgeTriggered: edge})
			a, b := socketpair(t)
			if err := p.Add(a, poller.Readable); err != nil {
				t.Fatal(err)
			}
			unix.Write(b, []byte("x"))
			if ev := waitFor(t, p, a); ev&poller.Readable == 0 {
				t.Fatalf("edge %v: %v, want Readable", edge, ev)
			}
			if err := p.Delete(a); err != nil {
				t.Fatal(err)
			}
			unix.Write(b, []byte("y"))
			ready := make([]poller.Ready, 4)
			for range 2 {
				n, err := p.Wait(ready, 10*time.Millisecond)
				if err != nil {
					t.Fatal(err)
				}
				if n != 0 {
					t.Fatalf("edge %v: Wait after Delete reported %v", edge, ready[:n])
				}
			}
		}
	})
}

func TestAddTwiceAndUnknownFd(t *testing.T) {
	eachBackend(t, func(t *testing.T, be poller.Backend) {
		p := newPoller(t, poller.Options{Backend: be})
		a, _ := socketpair(t)
		if err := p.Add(a, poller.Readable); err != nil {
			t.Fatal(err)
		}
		if err := p.Add(a, poller.Readable); err == nil {
			t.Error("second Add of one fd succeeded")
		}
		if err := p.Delete(a); err != nil {
			t.Fatal(err)
		}
		if err := p.Delete(a); err == nil {
			t.Error("Delete of an fd not watched succeeded")
		}
		if err := p.Modify(a, poller.Writable); err == nil {
			t.Error("Modify of an fd not watched succeeded")
		}
	})
}

func TestWakeFromOtherGoroutines(t *testing.T) {
	eachBackend(t, func(t *testing.T, be poller.Backend) {
		p := newPoller(t, poller.Options{Backend: be})
		ready := make([]poller.Ready, 4)
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() { defer wg.Done(); p.Wake() }()
		}
		// With no fds and no timeout, only a wake-up can end this Wait.
		if n, err := p.Wait(ready, -1); err != nil || n != 0 {
			t.Fatalf("Wait after Wake = %d, %v; want 0, nil", n, err)
		}
		wg.Wait()
		// Wake-ups that raced with the first Wait may leave one more pending;
		// drain it, then check that a fresh Wake still ends a blocking Wait.
		p.Wait(ready, 0)
		for range 100 {
			go p.Wake()
			if n, err := p.Wait(ready, -1); err != nil || n != 0 {
				t.Fatalf("second Wait after Wake = %d, %v; want 0, nil", n, err)
			}
		}
	})
}

func TestWakeBeforeFirstWait(t *testing.T) {
	eachBackend(t, func(t *testing.T, be poller.Backend) {
		p := newPoller(t, poller.Options{Backend: be})
		if err := p.Wake(); err != nil {
			t.Fatal(err)
		}
		ready := make([]poller.Ready, 4)
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				p.Wake() // unblock the test so that it fails rather than hangs
			}
		}()
		start := time.Now()
		if n, err := p.Wait(ready, -1); err != nil || n != 0 || time.Since(start) > 5*time.Second {
			t.Fatalf("Wait after an early Wake = %d, %v after %v", n, err, time.Since(start))
		}
	})
}

func TestWaitTimeout(t *testing.T) {
	eachBackend(t, func(t *testing.T, be poller.Backend) {
		p := newPoller(t, poller.Options{Backend: be})
		ready := make([]poller.Ready, 4)
		// epoll_wait ends early with EINTR when a signal (the runtime's
		// SIGURG) or task work interrupts the thread, and epoll reports that
		// as an empty Wait: allow a few such returns, not a timeout ignored
		// every time.
		var early []time.Duration
		for range 3 {
			start := time.Now()
			n, err := p.Wait(ready, 20*time.Millisecond)
			if err != nil || n != 0 {
				t.Fatalf("Wait = %d, %v; want 0, nil", n, err)
			}
			elapsed := time.Since(start)
			if elapsed >= 20*time.Millisecond {
				return
			}
			early = append(early, elapsed)
		}
		t.Fatalf("Wait returned after %v, before its 20ms timeout", early)
	})
}

func TestClosedPollerRefuses(t *testing.T) {
	eachBackend(t, func(t *testing.T, be poller.Backend) {
		p, err := poller.New(poller.Options{Backend: be})
		if errors.Is(err, errors.ErrUnsupported) && be != poller.Default {
			t.Skip(err)
		}
		if err != nil {
			t.Fatal(err)
		}
		a, _ := socketpair(t)
		if err := p.Add(a, poller.Readable); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Wait(make([]poller.Ready, 4), 0); err != nil {
			t.Fatal(err)
		}
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Wait(make([]poller.Ready, 4), 0); err == nil {
			t.Error("Wait after Close succeeded")
		}
	})
}

func TestEventString(t *testing.T) {
	for _, tc := range []struct {
		ev   poller.Event
		want string
	}{
		{ev: 0, want: "0"},
		{ev: poller.Readable, want: "Readable"},
		{ev: poller.Readable | poller.Hangup, want: "Readable|Hangup"},
	} {
		if got := tc.ev.String(); got != tc.want {
			t.Errorf("%d.String() = %q, want %q", uint32(tc.ev), got, tc.want)
		}
	}
}
