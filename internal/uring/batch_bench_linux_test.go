package uring

import (
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// batchConns is how many connections the batched echo benchmarks drive at
// once, as a loop turn would find them ready together.
const batchConns = 16

// BenchmarkEcho64Batch16Syscalls echoes 64 bytes over each of 16
// socketpairs with write(2) and read(2), four system calls per echo; ns/op
// is per echo.
func BenchmarkEcho64Batch16Syscalls(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var as, bs [batchConns]int
	for i := range batchConns {
		as[i], bs[i] = socketpair(b)
	}
	msg, buf := make([]byte, 64), make([]byte, 64)
	b.ReportAllocs()
	defer reportCPU(b)()
	n := 0
	for b.Loop() {
		if n++; n < batchConns {
			continue
		}
		n = 0
		for _, fd := range as {
			unix.Write(fd, msg)
		}
		for _, fd := range bs {
			m, _ := unix.Read(fd, buf)
			unix.Write(fd, buf[:m])
		}
		for _, fd := range as {
			if m, _ := unix.Read(fd, buf); m != 64 {
				b.Fatalf("echo read %d bytes", m)
			}
		}
	}
}

// BenchmarkEcho64Batch16Uring echoes 64 bytes over each of 16 socketpairs
// the way the loop will: multishot receives into a buffer ring on every
// socket, sends answered from the received buffers with their successful
// completions skipped, two io_uring_enter per 16 echoes; ns/op is per echo.
func BenchmarkEcho64Batch16Uring(b *testing.B) {
	r := newRing(b, 64, Options{CQEntries: 256})
	if err := r.RegisterRingFd(); err != nil {
		b.Fatalf("RegisterRingFd: %v", err)
	}
	br := newBufRing(b, r, 1, 4*batchConns, 64)
	var fds [2 * batchConns]int // a sides, then b sides
	for i := range batchConns {
		fds[i], fds[batchConns+i] = socketpair(b)
	}
	for i, fd := range fds {
		s := r.GetSQE()
		s.PrepRecvMultishot(fd, br.Group(), 0)
		s.UserData = uint64(i)
	}
	msg := make([]byte, 64)
	cqes := make([]CQE, 2*batchConns)
	var bids [2 * batchConns]uint16
	var lens [2 * batchConns]int32
	// leg sends data from[i] to each peer and waits for the peers' receives.
	leg := func(from, to int, data func(i int) []byte) {
		for i := range batchConns {
			s := r.GetSQE()
			s.PrepSend(fds[from+i], data(i), 0)
			s.Flags |= IOSQE_CQE_SKIP_SUCCESS
			s.UserData = 1 << 32
		}
		for got := 0; got < batchConns; {
			if _, err := r.SubmitAndWait(uint32(batchConns-got), -1); err != nil {
				b.Fatalf("SubmitAndWait: %v", err)
			}
			n, _ := r.ReapCQEs(cqes)
			for _, c := range cqes[:n] {
				if c.Res <= 0 || c.Flags&IORING_CQE_F_MORE == 0 || int(c.UserData) < to || int(c.UserData) >= to+batchConns {
					b.Fatalf("user_data %d res %d flags %#x", c.UserData, c.Res, c.Flags)
				}
				bids[c.UserData], lens[c.UserData] = uint16(c.Flags>>IORING_CQE_BUFFER_SHIFT), c.Res
			}
			got += n
		}
	}
	b.ReportAllocs()
	cpu := reportCPU(b)
	n := 0
	for b.Loop() {
		if n++; n < batchConns {
			continue
		}
		n = 0
		leg(0, batchConns, func(int) []byte { return msg })
		leg(batchConns, 0, func(i int) []byte { return br.Buffer(bids[batchConns+i])[:lens[batchConns+i]] })
		for _, bid := range bids {
			br.Recycle(bid)
		}
		br.Publish()
	}
	cpu()
	s := r.GetSQE()
	s.PrepCancel(0, IORING_ASYNC_CANCEL_ANY|IORING_ASYNC_CANCEL_ALL)
	s.UserData = 1 << 33
	for cancelled, ended := -1, 0; cancelled != ended; {
		c := waitCQE(b, r)
		if c.UserData == 1<<33 {
			cancelled = int(c.Res)
		} else if c.Res == -int32(unix.ECANCELED) {
			ended++
		}
	}
}
