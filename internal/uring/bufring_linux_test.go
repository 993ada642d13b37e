package uring

import (
	"errors"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// newBufRing registers a buffer ring of entries buffers of size bytes, cut
// from one slab, and unregisters it with t.
func newBufRing(t testing.TB, r *Ring, bgid uint16, entries, size int) *BufRing {
	t.Helper()
	br, err := r.RegisterBufRing(bgid, entries)
	if errors.Is(err, unix.EINVAL) {
		t.Skipf("provided buffer rings unavailable (Linux 5.19): %v", err)
	}
	if err != nil {
		t.Fatalf("RegisterBufRing: %v", err)
	}
	t.Cleanup(func() {
		if err := br.Close(); err != nil {
			t.Errorf("BufRing.Close: %v", err)
		}
	})
	br.AddSlab(make([]byte, entries*size), size)
	return br
}

// write writes msg to fd or fails t.
func write(t testing.TB, fd int, msg string) {
	t.Helper()
	if n, err := unix.Write(fd, []byte(msg)); err != nil || n != len(msg) {
		t.Fatalf("write = %d, %v", n, err)
	}
}

// TestRecvMultishot receives several messages through one multishot receive
// and finds each in the provided buffer its completion names.
func TestRecvMultishot(t *testing.T) {
	r := newRing(t, 8, Options{})
	br := newBufRing(t, r, 1, 8, 64)
	a, b := socketpair(t)
	sqe := getSQE(t, r)
	sqe.PrepRecvMultishot(b, br.Group(), 0)
	sqe.UserData = 1
	if _, err := r.Submit(); err != nil {
		t.Fatalf("Submit: %v", err)
	}
	used := map[uint16]bool{}
	for _, msg := range []string{"one", "two", "three", "four"} {
		write(t, a, msg)
		c := waitCQE(t, r)
		if c.UserData != 1 || c.Res != int32(len(msg)) {
			t.Fatalf("recv %q: user_data %d res %d", msg, c.UserData, c.Res)
		}
		if c.Flags&IORING_CQE_F_BUFFER == 0 || c.Flags&IORING_CQE_F_MORE == 0 {
			t.Fatalf("recv %q: flags %#x lack F_BUFFER or F_MORE", msg, c.Flags)
		}
		bid := uint16(c.Flags >> IORING_CQE_BUFFER_SHIFT)
		if used[bid] {
			t.Errorf("buffer %d handed out twice", bid)
		}
		used[bid] = true
		if got := string(br.Buffer(bid)[:c.Res]); got != msg {
			t.Errorf("buffer %d holds %q, want %q", bid, got, msg)
		}
	}
	unix.Shutdown(a, unix.SHUT_WR)
	if c := waitCQE(t, r); c.Res != 0 || c.Flags&IORING_CQE_F_MORE != 0 {
		t.Errorf("end of stream: res %d flags %#x, want 0 without F_MORE", c.Res, c.Flags)
	}
}

// TestBufRingExhaustion runs a two-buffer ring dry: the multishot receive
// ends with -ENOBUFS, and after recycling and re-arming the data waiting in
// the socket arrives intact.
func TestBufRingExhaustion(t *testing.T) {
	r := newRing(t, 8, Options{})
	br := newBufRing(t, r, 2, 2, 16)
	a, b := socketpair(t)
	arm := func() {
		sqe := getSQE(t, r)
		sqe.PrepRecvMultishot(b, br.Group(), 0)
		sqe.UserData = 2
	}
	arm()
	var bids []uint16
	for _, msg := range []string{"first", "second"} {
		write(t, a, msg)
		c := waitCQE(t, r)
		if c.Res != int32(len(msg)) || c.Flags&IORING_CQE_F_BUFFER == 0 {
			t.Fatalf("recv %q: res %d flags %#x", msg, c.Res, c.Flags)
		}
		bids = append(bids, uint16(c.Flags>>IORING_CQE_BUFFER_SHIFT))
	}
	write(t, a, "third")
	c := waitCQE(t, r)
	if c.Res != -int32(unix.ENOBUFS) || c.Flags&IORING_CQE_F_MORE != 0 {
		t.Fatalf("empty ring: res %d flags %#x, want -ENOBUFS without F_MORE", c.Res, c.Flags)
	}
	for _, bid := range bids {
		br.Recycle(bid)
	}
	br.Publish()
	arm()
	c = waitCQE(t, r)
	if c.Res != 5 || c.Flags&IORING_CQE_F_BUFFER == 0 {
		t.Fatalf("after recycling: res %d flags %#x", c.Res, c.Flags)
	}
	if got := string(br.Buffer(uint16(c.Flags >> IORING_CQE_BUFFER_SHIFT))[:c.Res]); got != "third" {
		t.Errorf("after recycling got %q, want %q", got, "third")
	}
	// Cancel the re-armed receive so that it completes before the ring goes.
	getSQE(t, r).PrepCancel(2, 0)
	for range 2 {
		waitCQE(t, r)
	}
}

// TestBufRingSize rejects ring sizes the kernel would refuse.
func TestBufRingSize(t *testing.T) {
	r := newRing(t, 4, Options{})
	for _, n := range []int{0, 3, 1 << 16} {
		if _, err := r.RegisterBufRing(9, n); !errors.Is(err, ErrBufRingSize) {
			t.Errorf("RegisterBufRing(%d) = %v, want ErrBufRingSize", n, err)
		}
	}
}

// TestBufRingCloseAfterRing closes the ring first; the buffer ring's Close
// then only unmaps.
func TestBufRingCloseAfterRing(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r, err := New(4, Options{})
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EPERM) {
		t.Skipf("io_uring unavailable: %v", err)
	}
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	br, err := r.RegisterBufRing(3, 4)
	if err != nil {
		r.Close()
		t.Fatalf("RegisterBufRing: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("Ring.Close: %v", err)
	}
	if err := br.Close(); err != nil {
		t.Errorf("BufRing.Close after Ring.Close: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Ring.Close: %v", err)
	}
}

// TestBufRingManyConns drives more connections with data than the ring has
// buffers, the way the loop will: copy out, recycle, re-arm receives that
// ended with -ENOBUFS. Every byte arrives, in order.
func TestBufRingManyConns(t *testing.T) {
	const (
		conns   = 8
		perConn = 96
		bufSize = 16
	)
	r := newRing(t, 16, Options{CQEntries: 64})
	br := newBufRing(t, r, 4, 4, bufSize)
	peers := make([]int, conns)
	want := make([][]byte, conns)
	got := make([][]byte, conns)
	arm := func(i int) {
		sqe := getSQE(t, r)
		sqe.PrepRecvMultishot(peers[i], br.Group(), 0)
		sqe.UserData = uint64(i)
	}
	for i := range conns {
		a, b := socketpair(t)
		peers[i] = b
		for k := range perConn {
			want[i] = append(want[i], byte('a'+i), byte(k))
		}
		want[i] = want[i][:perConn]
		if n, err := unix.Write(a, want[i]); err != nil || n != perConn {
			t.Fatalf("write conn %d = %d, %v", i, n, err)
		}
		arm(i)
	}
	cqes := make([]CQE, 64)
	nobufs, done := 0, 0
	for round := 0; done < conns; round++ {
		if round > 10000 {
			t.Fatalf("stalled: %d of %d connections complete", done, conns)
		}
		if _, err := r.SubmitAndWait(1, 100*time.Millisecond); err != nil {
			t.Fatalf("SubmitAndWait: %v", err)
		}
		n, err := r.ReapCQEs(cqes)
		if err != nil {
			t.Fatalf("ReapCQEs: %v", err)
		}
		for _, c := range cqes[:n] {
			i := int(c.UserData)
			switch {
			case c.Res > 0:
				bid := uint16(c.Flags >> IORING_CQE_BUFFER_SHIFT)
				got[i] = append(got[i], br.Buffer(bid)[:c.Res]...)
				br.Recycle(bid)
				if len(got[i]) == perConn {
					done++
				}
			case c.Res == -int32(unix.ENOBUFS):
				nobufs++
			default:
				t.Fatalf("conn %d: res %d flags %#x", i, c.Res, c.Flags)
			}
			if c.Flags&IORING_CQE_F_MORE == 0 && len(got[i]) < perConn {
				arm(i)
			}
		}
		br.Publish()
	}
	t.Logf("%d receives ended with -ENOBUFS and were re-armed", nobufs)
	for i := range conns {
		if string(got[i]) != string(want[i]) {
			t.Errorf("conn %d received %q, want %q", i, got[i], want[i])
		}
	}
	// End the receives still armed before the ring and its buffers go.
	sqe := getSQE(t, r)
	sqe.PrepCancel(0, IORING_ASYNC_CANCEL_ANY|IORING_ASYNC_CANCEL_ALL)
	sqe.UserData = 1 << 32
	cancelled, ended := -1, 0
	for cancelled != ended {
		c := waitCQE(t, r)
		if c.UserData == 1<<32 {
			cancelled = int(c.Res)
		} else if c.Res == -int32(unix.ECANCELED) {
			ended++
		}
	}
}
