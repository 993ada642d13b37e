//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package poller_test

import (
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

func newPoller(t *testing.T, opts poller.Options) poller.Poller {
	t.Helper()
	p, err := poller.New(opts)
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
	for _, tc := range []struct {
		name string
		opts poller.Options
	}{
		{name: "level", opts: poller.Options{}},
		{name: "edge", opts: poller.Options{EdgeTriggered: true}},
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
}

func TestLevelReportsAgainEdgeDoesNot(t *testing.T) {
	for _, tc := range []struct {
		name      string
		opts      poller.Options
		wantAgain bool
	}{
		{name: "level", opts: poller.Options{}, wantAgain: true},
		{name: "edge", opts: poller.Options{EdgeTriggered: true}, wantAgain: false},
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
			ready := make([]poller.Ready, 4)
			n, err := p.Wait(ready, 0)
			if err != nil {
				t.Fatal(err)
			}
			if again := n > 0 && ready[0].Fd == a; again != tc.wantAgain {
				t.Fatalf("second Wait reported fd again = %v, want %v", again, tc.wantAgain)
			}
		})
	}
}

func TestHangupReportedWithoutInterest(t *testing.T) {
	p := newPoller(t, poller.Options{})
	a, b := socketpair(t)
	if err := p.Add(a, poller.Readable); err != nil {
		t.Fatal(err)
	}
	unix.Shutdown(b, unix.SHUT_RDWR)
	if ev := waitFor(t, p, a); ev&(poller.Hangup|poller.Readable) == 0 {
		t.Fatalf("after the peer shut down: %v, want Hangup or Readable", ev)
	}
}

func TestDeleteStopsReports(t *testing.T) {
	p := newPoller(t, poller.Options{})
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
}

func TestWakeFromOtherGoroutines(t *testing.T) {
	p := newPoller(t, poller.Options{})
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
	go p.Wake()
	if n, err := p.Wait(ready, -1); err != nil || n != 0 {
		t.Fatalf("second Wait after Wake = %d, %v; want 0, nil", n, err)
	}
}

func TestWaitTimeout(t *testing.T) {
	p := newPoller(t, poller.Options{})
	ready := make([]poller.Ready, 4)
	start := time.Now()
	n, err := p.Wait(ready, 20*time.Millisecond)
	if err != nil || n != 0 {
		t.Fatalf("Wait = %d, %v; want 0, nil", n, err)
	}
	if elapsed := time.Since(start); elapsed < 20*time.Millisecond {
		t.Fatalf("Wait returned after %v, before its 20ms timeout", elapsed)
	}
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
