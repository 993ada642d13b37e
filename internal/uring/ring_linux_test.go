package uring

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestSetupProbe sets up a ring with the default flags and checks that the
// opcodes the loop needs are implemented.
func TestSetupProbe(t *testing.T) {
	r := newRing(t, 8, Options{})
	t.Logf("flags %#x features %#x sq %d cq %d", r.Flags(), r.Features(), r.SQEntries(), r.CQEntries())
	if r.SQEntries() != 8 || r.CQEntries() != 16 {
		t.Errorf("entries sq %d cq %d, want 8 and 16", r.SQEntries(), r.CQEntries())
	}
	if r.Flags()&IORING_SETUP_DEFER_TASKRUN == 0 {
		t.Logf("DEFER_TASKRUN not granted")
	}
	p, err := r.Probe()
	if err != nil {
		t.Fatalf("Probe: %v", err)
	}
	t.Logf("last op %d", p.LastOp)
	ops := []struct {
		name string
		op   uint8
	}{
		{name: "NOP", op: IORING_OP_NOP},
		{name: "WRITEV", op: IORING_OP_WRITEV},
		{name: "POLL_ADD", op: IORING_OP_POLL_ADD},
		{name: "SENDMSG", op: IORING_OP_SENDMSG},
		{name: "TIMEOUT", op: IORING_OP_TIMEOUT},
		{name: "ACCEPT", op: IORING_OP_ACCEPT},
		{name: "ASYNC_CANCEL", op: IORING_OP_ASYNC_CANCEL},
		{name: "CONNECT", op: IORING_OP_CONNECT},
		{name: "CLOSE", op: IORING_OP_CLOSE},
		{name: "READ", op: IORING_OP_READ},
		{name: "SEND", op: IORING_OP_SEND},
		{name: "RECV", op: IORING_OP_RECV},
		{name: "SHUTDOWN", op: IORING_OP_SHUTDOWN},
		{name: "MSG_RING", op: IORING_OP_MSG_RING},
	}
	for _, o := range ops {
		if !p.Supported(o.op) {
			t.Errorf("opcode %s (%d) not supported", o.name, o.op)
		}
	}
	if p.Supported(255) {
		t.Errorf("opcode 255 reported supported")
	}
}

// TestSetupFlags sets up rings with explicit flag sets, the fallbacks of the
// default chain included.
func TestSetupFlags(t *testing.T) {
	tests := []struct {
		name  string
		flags uint32
	}{
		{name: "coop taskrun", flags: IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG},
		{name: "single issuer", flags: IORING_SETUP_SINGLE_ISSUER},
		{name: "submit all", flags: IORING_SETUP_SUBMIT_ALL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRing(t, 4, Options{Flags: tt.flags})
			if r.Flags()&tt.flags != tt.flags {
				t.Errorf("flags %#x, want %#x set", r.Flags(), tt.flags)
			}
			getSQE(t, r).PrepNop()
			if c := waitCQE(t, r); c.Res != 0 {
				t.Errorf("nop res %d", c.Res)
			}
		})
	}
	if _, err := New(4, Options{Flags: IORING_SETUP_CQE32}); err == nil {
		t.Errorf("New with CQE32 succeeded; the package cannot read 32-byte CQEs")
	}
}

// TestNop submits no-ops and finds each user_data in its completion.
func TestNop(t *testing.T) {
	r := newRing(t, 8, Options{})
	for i := range uint64(3) {
		sqe := getSQE(t, r)
		sqe.PrepNop()
		sqe.UserData = 0xdead0000 + i
	}
	seen := map[uint64]bool{}
	for range 3 {
		c := waitCQE(t, r)
		if c.Res != 0 {
			t.Errorf("nop %#x res %d", c.UserData, c.Res)
		}
		seen[c.UserData] = true
	}
	for i := range uint64(3) {
		if !seen[0xdead0000+i] {
			t.Errorf("user_data %#x not seen", 0xdead0000+i)
		}
	}
	if r.CQReady() != 0 || r.SQReady() != 0 {
		t.Errorf("CQReady %d SQReady %d after reaping all", r.CQReady(), r.SQReady())
	}
}

// TestSQFull fills the submission queue and checks GetSQE refuses one more.
func TestSQFull(t *testing.T) {
	r := newRing(t, 4, Options{})
	for range r.SQEntries() {
		getSQE(t, r).PrepNop()
	}
	if r.GetSQE() != nil {
		t.Fatal("GetSQE on a full queue returned an entry")
	}
	n, err := r.Submit()
	if err != nil || n != 4 {
		t.Fatalf("Submit = %d, %v; want 4", n, err)
	}
	if r.GetSQE() == nil {
		t.Fatal("GetSQE after Submit returned nil")
	}
}

// TestCQOverflow submits four times more no-ops than the CQ ring holds
// without reaping, then checks that every completion is seen exactly once.
func TestCQOverflow(t *testing.T) {
	r := newRing(t, 8, Options{CQEntries: 16})
	const total = 64
	for i := uint64(0); i < total; {
		for range 8 {
			sqe := getSQE(t, r)
			sqe.PrepNop()
			sqe.UserData = i
			i++
		}
		if _, err := r.SubmitAndWait(0, 0); err != nil {
			t.Fatalf("SubmitAndWait: %v", err)
		}
	}
	if !r.OverflowPending() {
		t.Errorf("no overflow flagged with %d completions for a CQ of %d", total, r.CQEntries())
	}
	seen := make([]int, total)
	buf := make([]CQE, 5)
	got := 0
	for tries := 0; got < total && tries < 1000; tries++ {
		n, err := r.ReapCQEs(buf)
		if err != nil {
			t.Fatalf("ReapCQEs: %v", err)
		}
		for _, c := range buf[:n] {
			seen[c.UserData]++
		}
		got += n
	}
	for i, n := range seen {
		if n != 1 {
			t.Errorf("user_data %d seen %d times", i, n)
		}
	}
	if r.Dropped() != 0 {
		t.Errorf("kernel dropped %d completions", r.Dropped())
	}
}

// TestTimeout arms a timeout operation and waits for its -ETIME completion,
// and waits on an idle ring with a timeout, which returns without error.
func TestTimeout(t *testing.T) {
	r := newRing(t, 4, Options{})
	if _, err := r.SubmitAndWait(1, time.Millisecond); err != nil {
		t.Fatalf("idle SubmitAndWait with timeout: %v", err)
	}
	ts := DurationTimespec(time.Millisecond)
	sqe := getSQE(t, r)
	sqe.PrepTimeout(&ts, 0, 0)
	sqe.UserData = 3
	if c := waitCQE(t, r); c.UserData != 3 || c.Res != -int32(unix.ETIME) {
		t.Errorf("timeout user_data %d res %d, want -ETIME", c.UserData, c.Res)
	}
}

// TestBadSQEInBatch submits a receive on a closed descriptor ahead of a
// no-op: with SUBMIT_ALL the kernel takes both in one call and fails only
// the first.
func TestBadSQEInBatch(t *testing.T) {
	r := newRing(t, 4, Options{})
	buf := make([]byte, 8)
	sqe := getSQE(t, r)
	sqe.PrepRecv(1<<20, buf, 0)
	sqe.UserData = 1
	sqe = getSQE(t, r)
	sqe.PrepNop()
	sqe.UserData = 2
	n, err := r.SubmitAndWait(2, -1)
	if err != nil || n != 2 {
		t.Fatalf("SubmitAndWait = %d, %v; want 2", n, err)
	}
	cqes := make([]CQE, 2)
	if got, _ := r.ReapCQEs(cqes); got != 2 {
		t.Fatalf("reaped %d completions, want 2", got)
	}
	for _, c := range cqes {
		if c.UserData == 1 && c.Res != -int32(unix.EBADF) || c.UserData == 2 && c.Res != 0 {
			t.Errorf("user_data %d res %d", c.UserData, c.Res)
		}
	}
}

// TestRegisterRingFd enters the ring through its registered index.
func TestRegisterRingFd(t *testing.T) {
	r := newRing(t, 4, Options{})
	if err := r.RegisterRingFd(); err != nil {
		t.Fatalf("RegisterRingFd: %v", err)
	}
	for range 3 {
		getSQE(t, r).PrepNop()
		if c := waitCQE(t, r); c.Res != 0 {
			t.Errorf("nop res %d", c.Res)
		}
	}
}
