package uring

import (
	"errors"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// TestSubmitAndWaitRaw checks that a raw wait submits, returns with the
// completion, and goes to the kernel as a raw call; and that with nothing to
// complete it returns when its timeout passes, without an error.
func TestSubmitAndWaitRaw(t *testing.T) {
	r := newRing(t, 4, Options{})
	var raws []bool
	t.Cleanup(func() { enterSyscall = enter })
	enterSyscall = func(fd int, toSubmit, minComplete, flags uint32, arg unsafe.Pointer, argSz uintptr, raw bool) (int, unix.Errno) {
		raws = append(raws, raw)
		return enter(fd, toSubmit, minComplete, flags, arg, argSz, raw)
	}
	sqe := r.GetSQE()
	sqe.PrepNop()
	sqe.UserData = 7
	n, err := r.SubmitAndWaitRaw(1, time.Second)
	if err != nil || n != 1 {
		t.Fatalf("SubmitAndWaitRaw = %d, %v; want 1 submitted", n, err)
	}
	c := r.PeekCQE()
	if c == nil || c.UserData != 7 {
		t.Fatalf("completion %+v, want the nop's", c)
	}
	r.AdvanceCQ(1)
	if n, err := r.SubmitAndWaitRaw(1, 5*time.Millisecond); err != nil || n != 0 || r.CQReady() != 0 {
		t.Fatalf("an empty raw wait = %d, %v with %d completions; want its timeout to pass quietly", n, err, r.CQReady())
	}
	if len(raws) != 2 || !raws[0] || !raws[1] {
		t.Fatalf("raw flags passed down %v, want [true true]", raws)
	}
}

// TestSubmitAndWaitRawEINTR checks that a signal ends a raw wait at once:
// the wait is not retried, so that the preemption the runtime's signal asked
// for can happen in the caller.
func TestSubmitAndWaitRawEINTR(t *testing.T) {
	r := newRing(t, 4, Options{})
	calls := 0
	t.Cleanup(func() { enterSyscall = enter })
	enterSyscall = func(fd int, toSubmit, minComplete, flags uint32, arg unsafe.Pointer, argSz uintptr, raw bool) (int, unix.Errno) {
		calls++
		return 0, unix.EINTR
	}
	if n, err := r.SubmitAndWaitRaw(1, time.Second); n != 0 || err != nil || calls != 1 {
		t.Fatalf("interrupted raw wait = %d, %v after %d calls; want 0, nil after 1", n, err, calls)
	}
}

// TestSubmitAndWaitRawNeedsTimeout checks that an unbounded raw wait, which
// could hold its P forever, is refused.
func TestSubmitAndWaitRawNeedsTimeout(t *testing.T) {
	r := newRing(t, 4, Options{})
	if _, err := r.SubmitAndWaitRaw(1, -1); !errors.Is(err, unix.EINVAL) {
		t.Fatalf("SubmitAndWaitRaw with no timeout: %v, want EINVAL", err)
	}
}
