package uring

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestMain fails the run when descriptors of the kinds the tests open
// (io_uring instances, sockets, eventfds) outlive them.
func TestMain(m *testing.M) {
	// A pipe starts the runtime's network poller, whose eventfd stays open.
	if pr, pw, err := os.Pipe(); err == nil {
		pr.Close()
		pw.Close()
	}
	before, err := ownFds()
	if err != nil {
		fmt.Fprintln(os.Stderr, "leak check:", err)
		os.Exit(1)
	}
	code := m.Run()
	after, _ := ownFds()
	if code == 0 && after > before {
		fmt.Fprintf(os.Stderr, "leak check: %d io_uring, socket or eventfd descriptors open after the tests, %d before\n", after, before)
		code = 1
	}
	os.Exit(code)
}

// ownFds counts the entries of /proc/self/fd that are io_uring instances,
// sockets or eventfds; the runtime's other files (cgroup limits read for
// GOMAXPROCS, /dev/null) come and go on their own schedule.
func ownFds() (int, error) {
	ents, err := os.ReadDir("/proc/self/fd")
	n := 0
	for _, e := range ents {
		target, _ := os.Readlink("/proc/self/fd/" + e.Name())
		if strings.HasPrefix(target, "socket:") || target == "anon_inode:[io_uring]" || target == "anon_inode:[eventfd]" {
			n++
		}
	}
	return n, err
}

// newRing sets up a ring for t on the test's OS thread, which it locks for the
// rest of the test, and skips t where the kernel refuses io_uring.
func newRing(t testing.TB, entries uint32, opts Options) *Ring {
	t.Helper()
	runtime.LockOSThread()
	t.Cleanup(runtime.UnlockOSThread)
	r, err := New(entries, opts)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EPERM) {
		t.Skipf("io_uring unavailable: %v", err)
	}
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return r
}

// getSQE returns a free SQE or fails t.
func getSQE(t testing.TB, r *Ring) *SQE {
	t.Helper()
	sqe := r.GetSQE()
	if sqe == nil {
		t.Fatal("GetSQE: submission queue full")
	}
	return sqe
}

// waitCQE submits what is queued and returns the next completion, failing t
// when none arrives within a generous bound.
func waitCQE(t testing.TB, r *Ring) CQE {
	t.Helper()
	var c [1]CQE
	for range 100 {
		if _, err := r.SubmitAndWait(1, 100*time.Millisecond); err != nil {
			t.Fatalf("SubmitAndWait: %v", err)
		}
		n, err := r.ReapCQEs(c[:])
		if err != nil {
			t.Fatalf("ReapCQEs: %v", err)
		}
		if n == 1 {
			return c[0]
		}
	}
	t.Fatal("no completion arrived")
	return CQE{}
}

// socketpair returns a connected pair of stream sockets closed with t.
func socketpair(t testing.TB) (int, int) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("socketpair: %v", err)
	}
	t.Cleanup(func() { unix.Close(fds[0]); unix.Close(fds[1]) })
	return fds[0], fds[1]
}
