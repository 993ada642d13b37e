package poller

import (
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/internal/completion"
	"github.com/sockloop/sockloop/internal/sched"
	"github.com/sockloop/sockloop/internal/uring"
)

// newTestURing returns an io_uring poller with rings of sq and cq entries,
// closed when the test ends; the caller's goroutine must be locked to its
// thread, for good (see eachBackend in poller_unix_test.go).
func newTestURing(t *testing.T, opts Options, sq, cq uint32) *uringPoller {
	t.Helper()
	oldSQ, oldCQ := uringSQEntries, uringCQEntries
	uringSQEntries, uringCQEntries = sq, cq
	t.Cleanup(func() { uringSQEntries, uringCQEntries = oldSQ, oldCQ })
	opts.Backend = IOURing
	p, err := New(opts)
	if errors.Is(err, errors.ErrUnsupported) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	up := p.(*uringPoller)
	// Create the ring now, with the sizes asked for.
	if _, err := up.Wait(make([]Ready, 1), 0); err != nil {
		t.Fatal(err)
	}
	return up
}

// TestURingQueuesOverflow watches more ready sockets than the submission
// queue holds polls and than the completion queue holds completions, with a
// ready slice smaller still: every socket is reported, once per Wait at
// most, and level-triggered, again on later Waits.
func TestURingQueuesOverflow(t *testing.T) {
	runtime.LockOSThread()
	for _, edge := range []bool{false, true} {
		p := newTestURing(t, Options{EdgeTriggered: edge}, 4, 8)
		if p.ring.SQEntries() != 4 || p.ring.CQEntries() != 8 {
			t.Fatalf("rings of %d and %d entries, want 4 and 8", p.ring.SQEntries(), p.ring.CQEntries())
		}
		const nfd = 64
		var fds []int
		for range nfd {
			pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { unix.Close(pair[0]); unix.Close(pair[1]) })
			if err := p.Add(pair[0], Readable); err != nil {
				t.Fatal(err)
			}
			unix.Write(pair[1], []byte("x"))
			fds = append(fds, pair[0])
		}
		overflowed := false
		for round := range 2 {
			seen := map[int]bool{}
			ready := make([]Ready, 10)
			for waits := 0; len(seen) < nfd; waits++ {
				if waits > 200 {
					t.Fatalf("edge %v round %d: %d of %d sockets reported after %d Waits", edge, round, len(seen), nfd, waits)
				}
				n, err := p.Wait(ready, time.Second)
				if err != nil {
					t.Fatal(err)
				}
				overflowed = overflowed || p.ring.OverflowPending()
				once := map[int]bool{}
				for _, r := range ready[:n] {
					if once[r.Fd] {
						t.Fatalf("edge %v: fd %d reported twice in one Wait: %v", edge, r.Fd, ready[:n])
					}
					once[r.Fd] = true
					if r.Events != Readable {
						t.Fatalf("edge %v: fd %d: %v, want Readable", edge, r.Fd, r.Events)
					}
					seen[r.Fd] = true
				}
			}
			if edge {
				break // reported once per change: nothing more to see
			}
		}
		if !overflowed {
			t.Errorf("edge %v: the completion queue never overflowed", edge)
		}
		if d := p.ring.Dropped(); d != 0 {
			t.Errorf("edge %v: the kernel dropped %d completions", edge, d)
		}
		for _, fd := range fds {
			if err := p.Delete(fd); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestURingOtherThread uses the poller from a thread other than the one that
// created its ring, and gets an error that says what to do.
func TestURingOtherThread(t *testing.T) {
	runtime.LockOSThread()
	p := newTestURing(t, Options{}, 8, 16)
	if p.ring.Flags()&uring.IORING_SETUP_SINGLE_ISSUER == 0 {
		t.Skip("SINGLE_ISSUER not granted")
	}
	errc := make(chan error)
	go func() {
		runtime.LockOSThread() // a fresh thread, ended with the goroutine
		p.Wake()
		_, err := p.Wait(make([]Ready, 4), time.Second)
		errc <- err
	}()
	if err := <-errc; err == nil || !strings.Contains(err.Error(), "LockOSThread") {
		t.Fatalf("Wait from another thread: %v, want an error naming LockOSThread", err)
	}
}

// TestURingFailedPoll reports a poll that the kernel refused (a descriptor
// closed without Delete) as an Error, once, and does not poll it again.
func TestURingFailedPoll(t *testing.T) {
	runtime.LockOSThread()
	p := newTestURing(t, Options{}, 8, 16)
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	unix.Close(fds[1])
	if err := p.Add(fds[0], Readable); err != nil {
		t.Fatal(err)
	}
	unix.Close(fds[0]) // before the Wait that submits its poll
	ready := make([]Ready, 4)
	n, err := p.Wait(ready, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 || ready[0].Fd != fds[0] || ready[0].Events != Error {
		t.Fatalf("Wait = %v, want fd %d with Error", ready[:n], fds[0])
	}
	if n, _ := p.Wait(ready, 10*time.Millisecond); n != 0 {
		t.Fatalf("second Wait = %v, want nothing", ready[:n])
	}
	if err := p.Delete(fds[0]); err != nil {
		t.Fatal(err)
	}
}

// TestURingOff turns each feature off: without URingCompletion there is no
// Completer, without URingDeferTaskrun the ring runs task work
// cooperatively; either way it still polls.
func TestURingOff(t *testing.T) {
	runtime.LockOSThread()
	tests := []struct {
		off                       URingFeature
		completer                 bool
		deferTaskrun, coopTaskrun bool
	}{
		{off: 0, completer: true, deferTaskrun: true},
		{off: URingCompletion, completer: false, deferTaskrun: true},
		{off: URingDeferTaskrun, completer: true, coopTaskrun: true},
		{off: URingCompletion | URingDeferTaskrun, completer: false, coopTaskrun: true},
	}
	for _, tt := range tests {
		p := newTestURing(t, Options{URingOff: tt.off}, 8, 16)
		if got := completion.Of(p) != nil; got != tt.completer && opsSupported() {
			t.Errorf("off %#x: completion.Completer %v, want %v", tt.off, got, tt.completer)
		}
		flags := p.ring.Flags()
		if got := flags&uring.IORING_SETUP_DEFER_TASKRUN != 0; got != tt.deferTaskrun {
			t.Errorf("off %#x: DEFER_TASKRUN %v, want %v", tt.off, got, tt.deferTaskrun)
		}
		if got := flags&uring.IORING_SETUP_COOP_TASKRUN != 0; got != tt.coopTaskrun {
			t.Errorf("off %#x: COOP_TASKRUN %v, want %v", tt.off, got, tt.coopTaskrun)
		}
		pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Add(pair[0], Readable); err != nil {
			t.Fatal(err)
		}
		unix.Write(pair[1], []byte("x"))
		ready := make([]Ready, 4)
		n, err := p.Wait(ready, time.Second)
		if err != nil || n != 1 || ready[0].Fd != pair[0] {
			t.Errorf("off %#x: Wait = %d %v %v, want fd %d readable", tt.off, n, ready[:n], err, pair[0])
		}
		p.Delete(pair[0])
		unix.Close(pair[0])
		unix.Close(pair[1])
	}
}

// TestURingProbeRefusals makes io_uring_setup fail as a kernel without
// io_uring, kernel.io_uring_disabled or a seccomp filter make it fail: the
// probe reports the backend unsupported (so the engine falls back to epoll)
// and says why.
func TestURingProbeRefusals(t *testing.T) {
	t.Cleanup(func() { newProbeRing = func() (*uring.Ring, error) { return uring.New(2, uring.Options{}) } })
	for _, tt := range []struct {
		errno unix.Errno
		want  string
	}{
		{unix.ENOSYS, "kernel built without io_uring"},
		{unix.EPERM, "refused by "},
		{unix.ENOMEM, "cannot allocate memory"},
	} {
		newProbeRing = func() (*uring.Ring, error) {
			return nil, os.NewSyscallError("io_uring_setup", tt.errno)
		}
		err := probeURing()
		if !errors.Is(err, errors.ErrUnsupported) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("setup failing with %v: probe = %v, want ErrUnsupported saying %q", tt.errno, err, tt.want)
		}
	}
}

// TestURingRawWait checks the raw part of the io_uring backend's waits.
func TestURingRawWait(t *testing.T) {
	checkRawWait(t, func(o Options) (Poller, time.Duration) {
		p := newTestURing(t, o, 8, 16)
		return p, p.rawWait
	})
}

// TestURingRawWaitYieldsToGoroutines checks that a Wait skips its raw part
// while goroutines wait for a P, which the raw part would keep from them,
// and takes it again once none do.
func TestURingRawWaitYieldsToGoroutines(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	p := newTestURing(t, Options{RawWait: MaxRawWait}, 8, 16)
	ready := make([]Ready, 4)
	p.Wait(ready, 0) // sets the ring up
	ran := make(chan struct{}, 4)
	for range 4 {
		go func() { ran <- struct{}{} }()
	}
	// This goroutine holds the one P: the four are ready and wait for it.
	before := p.rawParts
	if n, err := p.Wait(ready, 2*MaxRawWait); n != 0 || err != nil {
		t.Fatalf("Wait = %d, %v", n, err)
	}
	if p.rawParts != before {
		t.Errorf("raw part taken with four goroutines waiting for the one P")
	}
	for range 4 {
		<-ran
	}
	// With none waiting (the runtime's own goroutines aside, which may be
	// ready now and then), a Wait takes its raw part again.
	probe := sched.NewProbe()
	for range 1000 {
		runtime.Gosched()
		if probe.Waiting() {
			continue
		}
		before = p.rawParts
		p.Wait(ready, MaxRawWait/10)
		if p.rawParts > before {
			return
		}
	}
	t.Error("no raw part taken once the goroutines had run")
}
