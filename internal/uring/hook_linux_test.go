package uring

import (
	"errors"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// injectEnter makes the next len(errs) io_uring_enter calls fail with errs in
// turn before the real call runs, and restores the real call with t.
func injectEnter(t *testing.T, errs ...unix.Errno) {
	t.Cleanup(func() { enterSyscall = enter })
	enterSyscall = func(fd int, toSubmit, minComplete, flags uint32, arg unsafe.Pointer, argSz uintptr, raw bool) (int, unix.Errno) {
		if len(errs) > 0 {
			errno := errs[0]
			errs = errs[1:]
			return 0, errno
		}
		return enter(fd, toSubmit, minComplete, flags, arg, argSz, raw)
	}
}

// TestEnterErrors checks how each errno of io_uring_enter reaches the
// caller: EINTR retried, ETIME, EAGAIN and EBUSY as a return with nothing
// done and the SQEs still queued, anything else as an error naming the call.
func TestEnterErrors(t *testing.T) {
	tests := []struct {
		name    string
		errno   unix.Errno
		wantErr bool
		wantN   int
	}{
		{name: "EINTR retried", errno: unix.EINTR, wantN: 1},
		{name: "ETIME", errno: unix.ETIME},
		{name: "EAGAIN", errno: unix.EAGAIN},
		{name: "EBUSY", errno: unix.EBUSY},
		{name: "EBADR", errno: unix.EBADR, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRing(t, 4, Options{})
			getSQE(t, r).PrepNop()
			injectEnter(t, tt.errno)
			n, err := r.SubmitAndWait(1, -1)
			if tt.wantErr {
				var se interface{ Unwrap() error }
				if !errors.Is(err, tt.errno) || !errors.As(err, &se) {
					t.Errorf("SubmitAndWait error %v, want a syscall error wrapping %v", err, tt.errno)
				}
			} else if err != nil {
				t.Errorf("SubmitAndWait error %v", err)
			}
			if n != tt.wantN {
				t.Errorf("SubmitAndWait took %d SQEs, want %d", n, tt.wantN)
			}
			if tt.wantN == 0 && r.SQReady() != 1 {
				t.Errorf("SQReady %d after a refused submission, want 1", r.SQReady())
			}
			// Whatever happened, the no-op completes on a later call.
			if c := waitCQE(t, r); c.Res != 0 {
				t.Errorf("nop res %d", c.Res)
			}
		})
	}
}

// TestPeekAdvance reads completions in place with PeekCQE and AdvanceCQ.
func TestPeekAdvance(t *testing.T) {
	r := newRing(t, 4, Options{})
	if r.PeekCQE() != nil {
		t.Fatal("PeekCQE on an empty ring returned an entry")
	}
	for i := range uint64(2) {
		sqe := getSQE(t, r)
		sqe.PrepNop()
		sqe.UserData = i + 1
	}
	if _, err := r.SubmitAndWait(2, -1); err != nil {
		t.Fatalf("SubmitAndWait: %v", err)
	}
	for want := uint64(1); want <= 2; want++ {
		c := r.PeekCQE()
		if c == nil || c.UserData != want {
			t.Fatalf("PeekCQE = %+v, want user_data %d", c, want)
		}
		r.AdvanceCQ(1)
	}
	if r.CQReady() != 0 {
		t.Errorf("CQReady %d after advancing past both", r.CQReady())
	}
}

// TestSetupFallback makes the kernel refuse flag sets with EINVAL and checks
// that New walks down the default chain.
func TestSetupFallback(t *testing.T) {
	tests := []struct {
		name    string
		refuse  uint32 // flags whose presence draws EINVAL
		want    uint32
		wantNot uint32
	}{
		{name: "no DEFER_TASKRUN", refuse: IORING_SETUP_DEFER_TASKRUN,
			want: IORING_SETUP_COOP_TASKRUN, wantNot: IORING_SETUP_DEFER_TASKRUN},
		{name: "no task-run flags", refuse: IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_COOP_TASKRUN,
			wantNot: IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SINGLE_ISSUER},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Cleanup(func() { setupSyscall = setup })
			setupSyscall = func(entries uint32, p *Params) (int, unix.Errno) {
				if p.Flags&tt.refuse != 0 {
					return -1, unix.EINVAL
				}
				return setup(entries, p)
			}
			r := newRing(t, 4, Options{})
			if r.Flags()&tt.want != tt.want || r.Flags()&tt.wantNot != 0 {
				t.Errorf("flags %#x, want %#x set and %#x clear", r.Flags(), tt.want, tt.wantNot)
			}
			getSQE(t, r).PrepNop()
			if c := waitCQE(t, r); c.Res != 0 {
				t.Errorf("nop res %d", c.Res)
			}
		})
	}
}

// TestEnterEINTRKeepsDeadline interrupts a timed wait once, after 100 ms of
// a 400 ms timeout: the retried wait asks for what is left, not for 400 ms
// again, so a stream of signals cannot stretch a wait without bound.
func TestEnterEINTRKeepsDeadline(t *testing.T) {
	r := newRing(t, 4, Options{})
	var timeouts []time.Duration
	t.Cleanup(func() { enterSyscall = enter })
	enterSyscall = func(fd int, toSubmit, minComplete, flags uint32, arg unsafe.Pointer, argSz uintptr, raw bool) (int, unix.Errno) {
		if arg != unsafe.Pointer(&r.arg) || r.arg.Ts != uint64(uintptr(unsafe.Pointer(&r.ts))) {
			t.Fatal("the wait's timeout is not the ring's own timespec")
		}
		timeouts = append(timeouts, time.Duration(r.ts.Sec)*time.Second+time.Duration(r.ts.Nsec))
		if len(timeouts) == 1 {
			time.Sleep(100 * time.Millisecond)
			return 0, unix.EINTR
		}
		return enter(fd, toSubmit, minComplete, flags, arg, argSz, raw)
	}
	if _, err := r.SubmitAndWait(1, 400*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if len(timeouts) != 2 || timeouts[0] != 400*time.Millisecond || timeouts[1] > 300*time.Millisecond {
		t.Fatalf("timeouts asked of the kernel %v, want 400ms then at most 300ms", timeouts)
	}
}
