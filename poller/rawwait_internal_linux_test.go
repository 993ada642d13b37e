package poller

import (
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// checkRawWait checks the two parts of a blocking Wait
// (Options.RawWait): readiness that arrives during the raw part, or
// after it during the part the scheduler sees, or a wake-up from another
// goroutine ends the wait; a timeout shorter than the raw part ends it with
// nothing; a garbage collection that another goroutine runs meanwhile is
// not held up for good; none by default, and none longer than the bound;
// WaitsRaw says which.
func checkRawWait(t *testing.T, open func(Options) (Poller, time.Duration)) {
	runtime.LockOSThread()
	if p, raw := open(Options{}); raw != 0 || WaitsRaw(p) {
		t.Fatalf("default raw part %v (WaitsRaw %v), want none", raw, WaitsRaw(p))
	}
	if _, raw := open(Options{RawWait: time.Hour}); raw != MaxRawWait {
		t.Fatalf("raw part asked for an hour: %v, want %v", raw, MaxRawWait)
	}
	const rawWaitMax = MaxRawWait
	p, raw := open(Options{RawWait: rawWaitMax})
	if raw != rawWaitMax || !WaitsRaw(p) {
		t.Fatalf("raw part %v (WaitsRaw %v), want %v", raw, WaitsRaw(p), rawWaitMax)
	}
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(pair[0])
	defer unix.Close(pair[1])
	if err := p.Add(pair[0], Readable); err != nil {
		t.Fatal(err)
	}
	ready := make([]Ready, 4)
	if n, err := p.Wait(ready, rawWaitMax/4); n != 0 || err != nil {
		t.Fatalf("Wait with nothing to report = %d, %v", n, err)
	}
	for _, after := range []time.Duration{0, rawWaitMax / 2, 5 * rawWaitMax} {
		done := make(chan struct{})
		go func() {
			defer close(done)
			time.Sleep(after)
			unix.Write(pair[1], []byte("x"))
			runtime.GC() // needs every P, the waiting loop's among them
		}()
		n, err := p.Wait(ready, -1)
		for tries := 0; n == 0 && err == nil && tries < 100; tries++ {
			n, err = p.Wait(ready, -1) // a signal (the collection's) ended it early
		}
		if err != nil || n != 1 || ready[0].Fd != pair[0] || ready[0].Events&Readable == 0 {
			t.Fatalf("readiness %v into the wait: Wait = %d %v %v", after, n, ready[:n], err)
		}
		<-done
		var b [8]byte
		unix.Read(pair[0], b[:])
	}
	go func() {
		time.Sleep(2 * rawWaitMax)
		p.Wake()
	}()
	if n, err := p.Wait(ready, -1); err != nil || n != 0 {
		t.Fatalf("woken Wait = %d %v", n, err)
	}
}

// TestEpollRawWait checks the raw part of the epoll backend's waits.
func TestEpollRawWait(t *testing.T) {
	checkRawWait(t, func(o Options) (Poller, time.Duration) {
		p, err := newEpoll(o)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		return p, p.(*epoll).rawWait
	})
}
