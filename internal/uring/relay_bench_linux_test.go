package uring

import (
	"fmt"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// The relay benchmarks ask what two io_uring operations would buy a TCP
// relay over loopback: IORING_OP_SPLICE against splice(2), and
// IORING_OP_SEND_ZC against IORING_OP_SEND. Work leaves the benchmark's
// thread (a ring splice runs on an io-wq worker), so besides MB/s they
// report CPU time (user plus system) per MB moved, three ways:
//
//   - cpu-ns/MB, the whole process, io-wq workers included: the figure to
//     compare. Every variant has the same feeder and drainer, whose cost
//     is in it.
//   - own-cpu-ns/MB, the process less the feeder's and drainer's threads:
//     rough, as loopback TCP runs the receiving side's softirq work in the
//     sender's thread, and an ACK's in the reader's.
//   - thread-cpu-ns/MB, the benchmark's thread alone.
//
// Softirq work the kernel defers to ksoftirqd is in none of them.

const (
	// relayOp is how many bytes one benchmark op moves.
	relayOp = 1 << 20
	// relayPipeSize is the relay's pipe, the 1 MiB a loop relay grows its
	// pipe to (pipe-max-size by default, so it needs no privilege).
	relayPipeSize = 1 << 20
	// ioChunk is what the feeder writes and the drainer reads at a time.
	ioChunk = 64 << 10
)

// tcpPair returns both ends of a loopback TCP connection, blocking, closed
// with t.
func tcpPair(t testing.TB) (client, server int) {
	t.Helper()
	ln, addr := listen(t)
	client = dial(t, addr)
	server, _, err := unix.Accept4(ln, unix.SOCK_CLOEXEC)
	if err != nil {
		t.Fatalf("accept: %v", err)
	}
	t.Cleanup(func() { unix.Close(server) })
	return client, server
}

// newPipe returns a blocking pipe, resized to size bytes unless size is 0,
// closed with t.
func newPipe(t testing.TB, size int) (r, w int) {
	t.Helper()
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		t.Fatalf("pipe2: %v", err)
	}
	t.Cleanup(func() { unix.Close(p[0]); unix.Close(p[1]) })
	if size > 0 {
		if _, err := unix.FcntlInt(uintptr(p[1]), unix.F_SETPIPE_SZ, size); err != nil {
			t.Fatalf("F_SETPIPE_SZ %d: %v", size, err)
		}
	}
	return p[0], p[1]
}

// needOp skips t unless the kernel implements opcode op.
func needOp(t testing.TB, r *Ring, op uint8, name string) {
	t.Helper()
	p, err := r.Probe()
	if err != nil {
		t.Skipf("cannot probe for %s: %v", name, err)
	}
	if !p.Supported(op) {
		t.Skipf("kernel does not implement %s (opcode %d)", name, op)
	}
}

// background runs fn, which blocks in system calls on socket fd, on a
// goroutine locked to its own thread, whose CPU-time clock it returns. At
// cleanup it shuts fd down, which fails those calls, and waits for fn to
// return; registered after fd's own cleanup, it runs before fd is closed,
// which alone would not wake a blocked call.
func background(t testing.TB, fd int, fn func(fd int)) int32 {
	tid := make(chan int)
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Never unlocked: the thread ends with the goroutine, so its
		// clock stands for fn alone.
		runtime.LockOSThread()
		tid <- unix.Gettid()
		fn(fd)
	}()
	t.Cleanup(func() {
		unix.Shutdown(fd, unix.SHUT_RDWR)
		<-done
	})
	return threadClock(<-tid)
}

// threadClock returns the CPU-time clock of thread tid of this process, the
// id pthread_getcpuclockid makes: the complemented tid above
// CPUCLOCK_PERTHREAD|CPUCLOCK_SCHED.
func threadClock(tid int) int32 {
	return int32(^uint32(tid)<<3 | 6)
}

// feed writes to fd as fast as the connection takes it, until it fails.
func feed(fd int) {
	buf := make([]byte, ioChunk)
	for {
		_, err := unix.SendmsgN(fd, buf, nil, nil, unix.MSG_NOSIGNAL)
		if err != nil && err != unix.EINTR {
			return
		}
	}
}

// drain reads and discards what arrives on fd until the connection ends.
func drain(fd int) {
	buf := make([]byte, ioChunk)
	for {
		n, err := unix.Read(fd, buf)
		if err == unix.EINTR {
			continue
		}
		if n <= 0 || err != nil {
			return
		}
	}
}

// reportCPUPerMB reports CPU time (user plus system) per MB (10^6 bytes)
// moved at bytesPerOp: the whole process's, io-wq workers included as they
// are threads of the process (cpu-ns/MB); the same less the threads of the
// helpers, the feeder's and drainer's clocks (own-cpu-ns/MB); and the
// calling thread's, which must be locked (thread-cpu-ns/MB). Call the
// returned function after the loop.
func reportCPUPerMB(b *testing.B, bytesPerOp int, helpers ...int32) func() {
	proc0, helpers0, thread0 := processCPU(b), clocksCPU(b, helpers), threadCPU(b)
	return func() {
		mb := float64(b.N) * float64(bytesPerOp) / 1e6
		proc := processCPU(b) - proc0
		helped := clocksCPU(b, helpers) - helpers0
		b.ReportMetric(float64(proc)/mb, "cpu-ns/MB")
		b.ReportMetric(float64(proc-helped)/mb, "own-cpu-ns/MB")
		b.ReportMetric(float64(threadCPU(b)-thread0)/mb, "thread-cpu-ns/MB")
	}
}

// processCPU returns the process's user plus system time in ns, all its
// threads included.
func processCPU(b *testing.B) int64 {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return unix.TimevalToNsec(ru.Utime) + unix.TimevalToNsec(ru.Stime)
}

// clocksCPU returns the sum of the CPU-time clocks in ns.
func clocksCPU(b *testing.B, clocks []int32) int64 {
	var sum int64
	for _, c := range clocks {
		var ts unix.Timespec
		if err := unix.ClockGettime(c, &ts); err != nil {
			b.Fatalf("clock_gettime(%d): %v", c, err)
		}
		sum += ts.Nano()
	}
	return sum
}

// relayRig is what a relay runs between: in, a TCP socket a feeder keeps
// full; out, a TCP socket whose peer a drainer keeps empty; and a 1 MiB pipe.
type relayRig struct {
	in, out      int
	pipeR, pipeW int
	helpers      []int32 // the feeder's and the drainer's CPU-time clocks
}

// newRelayRig sets up a relayRig, torn down with b. Every socket is
// blocking: a blocking splice(2) is the cheapest way to wait for a socket,
// and it is how an io-wq worker waits in IORING_OP_SPLICE, which on an empty
// non-blocking socket completes with -EAGAIN rather than polling (a loop
// would have to link a poll before each splice).
func newRelayRig(b *testing.B) relayRig {
	feeder, in := tcpPair(b)
	out, drainer := tcpPair(b)
	pr, pw := newPipe(b, relayPipeSize)
	fc := background(b, feeder, feed)
	dc := background(b, drainer, drain)
	return relayRig{in: in, out: out, pipeR: pr, pipeW: pw, helpers: []int32{fc, dc}}
}

// relay moves relayOp bytes from in to out through the pipe with splice,
// which moves up to n bytes and returns how many it moved: into the pipe
// as much as the socket holds, then out of it until the pipe is empty.
func (rig relayRig) relay(splice func(in, out, n int) int) {
	for left := relayOp; left > 0; {
		n := splice(rig.in, rig.pipeW, left)
		for sent := 0; sent < n; {
			sent += splice(rig.pipeR, rig.out, n-sent)
		}
		left -= n
	}
}

// BenchmarkRelaySplice relays a fed loopback TCP connection to a drained
// one through a 1 MiB pipe, relayOp bytes per op, with splice(2) and with
// IORING_OP_SPLICE, which the kernel always hands to an io-wq worker.
func BenchmarkRelaySplice(b *testing.B) {
	b.Run("syscall", benchRelaySpliceSyscall)
	b.Run("ring", benchRelaySpliceRing)
}

// benchRelaySpliceSyscall relays with blocking splice(2) calls.
func benchRelaySpliceSyscall(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	rig := newRelayRig(b)
	splice := func(in, out, n int) int {
		for {
			m, err := unix.Splice(in, nil, out, nil, n, unix.SPLICE_F_MOVE)
			if err == unix.EINTR {
				continue
			}
			if err != nil || m == 0 {
				b.Fatalf("splice: %d, %v", m, err)
			}
			return int(m)
		}
	}
	b.SetBytes(relayOp)
	cpu := reportCPUPerMB(b, relayOp, rig.helpers...)
	for b.Loop() {
		rig.relay(splice)
	}
	cpu()
}

// benchRelaySpliceRing relays with one IORING_OP_SPLICE at a time, waiting
// for each, on a ring with the default (DEFER_TASKRUN) set-up.
func benchRelaySpliceRing(b *testing.B) {
	r := newRing(b, 8, Options{})
	needOp(b, r, IORING_OP_SPLICE, "IORING_OP_SPLICE")
	rig := newRelayRig(b)
	cqes := make([]CQE, 1)
	splice := func(in, out, n int) int {
		r.GetSQE().PrepSplice(in, out, uint32(n), unix.SPLICE_F_MOVE)
		reapN(b, r, cqes, 1)
		if cqes[0].Res == 0 {
			b.Fatalf("splice moved nothing")
		}
		return int(cqes[0].Res)
	}
	b.SetBytes(relayOp)
	cpu := reportCPUPerMB(b, relayOp, rig.helpers...)
	for b.Loop() {
		rig.relay(splice)
	}
	cpu()
}

// BenchmarkRingSend sends over a loopback TCP connection whose far end is
// drained, relayOp bytes per op in sends of 64 KiB or 256 KiB, with
// IORING_OP_SEND and with IORING_OP_SEND_ZC.
func BenchmarkRingSend(b *testing.B) {
	for _, op := range []struct {
		name string
		zc   bool
	}{{name: "send"}, {name: "zc", zc: true}} {
		for _, size := range []int{64 << 10, 256 << 10} {
			b.Run(fmt.Sprintf("%s/%dKiB", op.name, size>>10), func(b *testing.B) {
				benchRingSend(b, op.zc, size)
			})
		}
	}
}

// benchRingSend runs BenchmarkRingSend with buffers of size bytes.
func benchRingSend(b *testing.B, zc bool, size int) {
	r := newRing(b, 8, Options{})
	if zc {
		needOp(b, r, IORING_OP_SEND_ZC, "IORING_OP_SEND_ZC")
	}
	fd, far := tcpPair(b)
	// As the loop's sockets are; a send on the ring waits by polling.
	if err := unix.SetNonblock(fd, true); err != nil {
		b.Fatalf("set non-blocking: %v", err)
	}
	dc := background(b, far, drain)
	s := &ringSender{r: r, fd: fd, zc: zc, cqes: make([]CQE, 8)}
	for i := range s.bufs {
		s.bufs[i] = make([]byte, size)
	}
	b.SetBytes(relayOp)
	cpu := reportCPUPerMB(b, relayOp, dc)
	next := 0
	for b.Loop() {
		for range relayOp / size {
			s.send(b, next)
			next ^= 1
		}
	}
	cpu()
	s.settle(b)
}

// ringSender sends whole buffers on a ring, one send at a time. Two buffers
// alternate, both for IORING_OP_SEND and IORING_OP_SEND_ZC, so that a
// zero-copy send need not wait for the notification of the one before.
type ringSender struct {
	r    *Ring
	fd   int
	zc   bool
	bufs [2][]byte
	// owed counts, per buffer, the zero-copy notifications still to come:
	// until they have, the kernel may still read the buffer.
	owed [2]int
	sent bool // the last send has completed
	cqes []CQE
}

// send sends buffer i whole (MSG_WAITALL: the kernel sends the rest of a
// short send itself) and waits for the result.
func (s *ringSender) send(b *testing.B, i int) {
	for s.owed[i] > 0 {
		s.reap(b)
	}
	sqe := s.r.GetSQE()
	if s.zc {
		sqe.PrepSendZC(s.fd, s.bufs[i], unix.MSG_WAITALL)
		s.owed[i]++
	} else {
		sqe.PrepSend(s.fd, s.bufs[i], unix.MSG_WAITALL)
	}
	sqe.UserData = uint64(i)
	for s.sent = false; !s.sent; {
		s.reap(b)
	}
}

// settle waits for every notification still owed, so that no buffer is in
// the kernel's hands when the benchmark ends.
func (s *ringSender) settle(b *testing.B) {
	for s.owed[0]+s.owed[1] > 0 {
		s.reap(b)
	}
}

// reap waits for a completion and accounts for every one that has arrived.
func (s *ringSender) reap(b *testing.B) {
	if _, err := s.r.SubmitAndWait(1, -1); err != nil {
		b.Fatalf("SubmitAndWait: %v", err)
	}
	n, err := s.r.ReapCQEs(s.cqes)
	if err != nil {
		b.Fatalf("ReapCQEs: %v", err)
	}
	for _, c := range s.cqes[:n] {
		i := c.UserData
		switch {
		case c.Flags&IORING_CQE_F_NOTIF != 0:
			s.owed[i]--
		case c.Res != int32(len(s.bufs[i])):
			b.Fatalf("send res %d, want %d", c.Res, len(s.bufs[i]))
		default:
			s.sent = true
			if s.zc && c.Flags&IORING_CQE_F_MORE == 0 {
				s.owed[i]-- // no notification follows
			}
		}
	}
}
