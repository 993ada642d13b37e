package uring

import (
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// reportCPU reports the CPU time (user and system) the benchmark's thread
// spent per op, a steadier figure than wall time on a shared machine; call
// the returned function after the loop. The thread must be locked.
func reportCPU(b *testing.B) func() {
	start := threadCPU(b)
	return func() {
		b.ReportMetric(float64(threadCPU(b)-start)/float64(b.N), "cpu-ns/op")
	}
}

// threadCPU returns the calling thread's user plus system time in ns.
func threadCPU(b *testing.B) int64 {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return unix.TimevalToNsec(ru.Utime) + unix.TimevalToNsec(ru.Stime)
}

// reapN waits until n completions have been reaped into cqes, failing b on
// an error or a negative result.
func reapN(b *testing.B, r *Ring, cqes []CQE, n int) {
	for got := 0; got < n; {
		if _, err := r.SubmitAndWait(uint32(n-got), -1); err != nil {
			b.Fatalf("SubmitAndWait: %v", err)
		}
		m, err := r.ReapCQEs(cqes[got:n])
		if err != nil {
			b.Fatalf("ReapCQEs: %v", err)
		}
		for _, c := range cqes[got : got+m] {
			if c.Res < 0 {
				b.Fatalf("user_data %d res %d", c.UserData, c.Res)
			}
		}
		got += m
	}
}

// setups are the flag sets the benchmarks compare: the default chain's
// first choice and its two fallbacks.
var setups = []struct {
	name  string
	flags uint32
	regFd bool // enter through RegisterRingFd's index
}{
	{name: "defer", flags: IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG},
	{name: "defer+regfd", flags: IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG, regFd: true},
	{name: "coop", flags: IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG},
	{name: "plain", flags: IORING_SETUP_CLAMP},
}

// benchRing sets up a ring for a benchmark, registering its descriptor when
// regFd is set.
func benchRing(b *testing.B, entries, flags uint32, regFd bool) *Ring {
	r := newRing(b, entries, Options{Flags: flags})
	if regFd {
		if err := r.RegisterRingFd(); err != nil {
			b.Fatalf("RegisterRingFd: %v", err)
		}
	}
	return r
}

// BenchmarkNop measures one no-op submitted and reaped per io_uring_enter.
func BenchmarkNop(b *testing.B) {
	for _, s := range setups {
		b.Run(s.name, func(b *testing.B) {
			r := benchRing(b, 32, s.flags, s.regFd)
			cqes := make([]CQE, 32)
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				r.GetSQE().PrepNop()
				reapN(b, r, cqes, 1)
			}
		})
	}
}

// BenchmarkNopBatch32 measures no-ops submitted and reaped 32 to an enter,
// per no-op.
func BenchmarkNopBatch32(b *testing.B) {
	r := newRing(b, 32, Options{})
	cqes := make([]CQE, 32)
	b.ReportAllocs()
	defer reportCPU(b)()
	n := 0
	for b.Loop() {
		r.GetSQE().PrepNop()
		if n++; n == 32 {
			reapN(b, r, cqes, 32)
			n = 0
		}
	}
	if n > 0 {
		reapN(b, r, cqes, n)
	}
}

// BenchmarkEcho64Syscalls is the baseline: a 64-byte message over a
// socketpair and back with write(2) and read(2), four system calls.
func BenchmarkEcho64Syscalls(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	a, c := socketpair(b)
	msg, buf := make([]byte, 64), make([]byte, 64)
	b.ReportAllocs()
	defer reportCPU(b)()
	b.SetBytes(64)
	for b.Loop() {
		unix.Write(a, msg)
		n, _ := unix.Read(c, buf)
		unix.Write(c, buf[:n])
		if n, _ = unix.Read(a, buf); n != 64 {
			b.Fatalf("echo read %d bytes", n)
		}
	}
}

// BenchmarkEcho64UringLinked does the same echo as four linked SQEs (write,
// recv, write, recv) in one io_uring_enter.
func BenchmarkEcho64UringLinked(b *testing.B) {
	for _, s := range setups {
		b.Run(s.name, func(b *testing.B) { benchEchoLinked(b, benchRing(b, 8, s.flags, s.regFd)) })
	}
}

// benchEchoLinked runs BenchmarkEcho64UringLinked on r.
func benchEchoLinked(b *testing.B, r *Ring) {
	a, c := socketpair(b)
	msg, buf, back := make([]byte, 64), make([]byte, 64), make([]byte, 64)
	cqes := make([]CQE, 4)
	b.ReportAllocs()
	defer reportCPU(b)()
	b.SetBytes(64)
	for b.Loop() {
		s := r.GetSQE()
		s.PrepSend(a, msg, 0)
		s.Flags |= IOSQE_IO_LINK
		s = r.GetSQE()
		s.PrepRecv(c, buf, 0)
		s.Flags |= IOSQE_IO_LINK
		s = r.GetSQE()
		s.PrepSend(c, buf, 0)
		s.Flags |= IOSQE_IO_LINK
		r.GetSQE().PrepRecv(a, back, 0)
		reapN(b, r, cqes, 4)
	}
}

// BenchmarkEcho64UringMultishot echoes the way the loop will: multishot
// receives into a provided buffer ring on both ends, a send answered from
// the received buffer, the buffer recycled; two io_uring_enter per echo.
func BenchmarkEcho64UringMultishot(b *testing.B) {
	for _, s := range setups {
		b.Run(s.name, func(b *testing.B) { benchEchoMultishot(b, benchRing(b, 8, s.flags, s.regFd)) })
	}
}

// benchEchoMultishot runs BenchmarkEcho64UringMultishot on r.
func benchEchoMultishot(b *testing.B, r *Ring) {
	br := newBufRing(b, r, 1, 16, 64)
	a, c := socketpair(b)
	for i, fd := range []int{a, c} {
		s := r.GetSQE()
		s.PrepRecvMultishot(fd, br.Group(), 0)
		s.UserData = uint64(i + 1)
	}
	msg := make([]byte, 64)
	cqes := make([]CQE, 2)
	// hop sends data on from, waits for the send and the peer's receive, and
	// returns the buffer id the receive used.
	hop := func(from int, data []byte, recvID uint64) uint16 {
		r.GetSQE().PrepSend(from, data, 0)
		reapN(b, r, cqes, 2)
		for _, q := range cqes {
			if q.UserData == recvID {
				if q.Flags&IORING_CQE_F_MORE == 0 || q.Res != 64 {
					b.Fatalf("recv res %d flags %#x", q.Res, q.Flags)
				}
				return uint16(q.Flags >> IORING_CQE_BUFFER_SHIFT)
			}
		}
		b.Fatalf("no receive completion")
		return 0
	}
	b.ReportAllocs()
	b.SetBytes(64)
	cpu := reportCPU(b)
	for b.Loop() {
		bid := hop(a, msg, 2)
		back := hop(c, br.Buffer(bid), 1)
		br.Recycle(bid)
		br.Recycle(back)
		br.Publish()
	}
	cpu()
	getSQE(b, r).PrepCancelFd(a, IORING_ASYNC_CANCEL_ALL)
	getSQE(b, r).PrepCancelFd(c, IORING_ASYNC_CANCEL_ALL)
	for range 4 {
		waitCQE(b, r) // two cancels and the two receives they end
	}
}
