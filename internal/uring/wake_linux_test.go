package uring

import (
	"errors"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestEventfdWake arms a read on an eventfd, writes the eventfd from another
// goroutine and waits for the read's completion, as a loop's wake-up does.
func TestEventfdWake(t *testing.T) {
	r := newRing(t, 4, Options{})
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		t.Fatalf("eventfd: %v", err)
	}
	defer unix.Close(efd)
	var counter [8]byte
	sqe := getSQE(t, r)
	sqe.PrepRead(efd, counter[:])
	sqe.UserData = 7
	if _, err := r.Submit(); err != nil {
		t.Fatalf("Submit: %v", err)
	}
	go unix.Write(efd, []byte{1, 0, 0, 0, 0, 0, 0, 0})
	c := waitCQE(t, r)
	if c.UserData != 7 || c.Res != 8 || counter[0] != 1 {
		t.Errorf("eventfd read: user_data %d res %d counter %v", c.UserData, c.Res, counter)
	}
}

// TestMsgRing wakes one ring from another with IORING_OP_MSG_RING.
func TestMsgRing(t *testing.T) {
	r := newRing(t, 4, Options{})
	target := newRing(t, 4, Options{})
	sqe := getSQE(t, r)
	sqe.PrepMsgRing(target.Fd(), 42, 0xfeed, 0)
	sqe.UserData = 1
	if c := waitCQE(t, r); c.Res != 0 {
		t.Fatalf("msg_ring res %d", c.Res)
	}
	c := waitCQE(t, target)
	if c.UserData != 0xfeed || c.Res != 42 {
		t.Errorf("target got user_data %#x res %d", c.UserData, c.Res)
	}
}

// TestSendMsgRing wakes a blocked ring from another goroutine, which has no
// ring of its own.
func TestSendMsgRing(t *testing.T) {
	r := newRing(t, 4, Options{})
	errc := make(chan error, 1)
	go func() { errc <- SendMsgRing(r.Fd(), 7, 0xabc) }()
	// The bound only keeps a broken wake-up from hanging the suite.
	if _, err := r.SubmitAndWait(1, 10*time.Second); err != nil {
		t.Fatalf("SubmitAndWait: %v", err)
	}
	if err := <-errc; errors.Is(err, unix.EINVAL) {
		t.Skipf("IORING_REGISTER_SEND_MSG_RING unavailable (Linux 6.13): %v", err)
	} else if err != nil {
		t.Fatalf("SendMsgRing: %v", err)
	}
	c := waitCQE(t, r)
	if c.UserData != 0xabc || c.Res != 7 {
		t.Errorf("woken with user_data %#x res %d, want 0xabc and 7", c.UserData, c.Res)
	}
}

// TestSingleIssuerOtherThread submits from a thread other than the ring's
// and gets EEXIST, which is why the ring's goroutine locks its thread.
func TestSingleIssuerOtherThread(t *testing.T) {
	r := newRing(t, 4, Options{})
	if r.Flags()&IORING_SETUP_SINGLE_ISSUER == 0 {
		t.Skip("SINGLE_ISSUER not granted")
	}
	getSQE(t, r).PrepNop()
	errc := make(chan error)
	go func() {
		runtime.LockOSThread() // a fresh goroutine locked here never shares the test's thread
		defer runtime.UnlockOSThread()
		_, err := r.Submit()
		errc <- err
	}()
	if err := <-errc; !errors.Is(err, unix.EEXIST) {
		t.Errorf("Submit from another thread: %v, want EEXIST", err)
	}
	if c := waitCQE(t, r); c.Res != 0 {
		t.Errorf("nop submitted from the ring's thread: res %d", c.Res)
	}
}
