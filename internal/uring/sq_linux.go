package uring

import (
	"os"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// GetSQE returns the next free submission queue entry, zeroed, or nil when
// the queue is full and must be submitted first.
//
// The entry is queued at once; it reaches the kernel with the next Submit or
// SubmitAndWait, so it must be filled in before then.
func (r *Ring) GetSQE() *SQE {
	head := atomic.LoadUint32(r.sqHead)
	if r.sqeTail-head >= r.sqEntries {
		return nil
	}
	sqe := &r.sqes[r.sqeTail&r.sqMask]
	*sqe = SQE{}
	r.sqeTail++
	return sqe
}

// SQReady returns how many SQEs are queued and not yet taken by the kernel.
func (r *Ring) SQReady() uint32 {
	return r.sqeTail - atomic.LoadUint32(r.sqHead)
}

// flushSQ publishes the queued SQEs to the kernel with a release store of
// the tail and returns how many it has not consumed yet.
func (r *Ring) flushSQ() uint32 {
	atomic.StoreUint32(r.sqTail, r.sqeTail)
	return r.sqeTail - atomic.LoadUint32(r.sqHead)
}

// cqNeedsEnter reports whether completions wait in the kernel (an overflow
// backlog or deferred task work) that only io_uring_enter with GETEVENTS
// brings into the CQ ring.
func (r *Ring) cqNeedsEnter() bool {
	return atomic.LoadUint32(r.sqFlags)&(IORING_SQ_CQ_OVERFLOW|IORING_SQ_TASKRUN) != 0
}

// Submit hands the queued SQEs to the kernel without waiting and returns how
// many it took.
//
// EAGAIN and EBUSY, the kernel asking for completions to be reaped before it
// takes more, are not errors: Submit returns 0 and the SQEs stay queued.
func (r *Ring) Submit() (int, error) {
	toSubmit := r.flushSQ()
	var flags uint32
	if r.cqNeedsEnter() {
		flags |= IORING_ENTER_GETEVENTS
	}
	if toSubmit == 0 && flags == 0 {
		return 0, nil
	}
	return r.enter(toSubmit, 0, flags, -1, false)
}

// SubmitAndWait hands the queued SQEs to the kernel and waits until at least
// minComplete completions are in the CQ ring or timeout has passed, in one
// io_uring_enter; it returns how many SQEs the kernel took.
//
// A negative timeout waits without limit. With minComplete 0 it does not
// block but still runs the ring's deferred work, which a DEFER_TASKRUN ring
// needs before completions appear. Running out of time is not an error; a
// signal restarts the wait with the full timeout. A timeout needs
// IORING_FEAT_EXT_ARG (Linux 5.11); without it SubmitAndWait returns EINVAL
// for a non-negative timeout with minComplete > 0.
func (r *Ring) SubmitAndWait(minComplete uint32, timeout time.Duration) (int, error) {
	return r.enter(r.flushSQ(), minComplete, IORING_ENTER_GETEVENTS, timeout, false)
}

// SubmitAndWaitRaw is SubmitAndWait run as a raw system call, unseen by the
// Go scheduler: the calling goroutine keeps its thread and its P while the
// kernel waits, so no other goroutine can use that P for up to timeout,
// which must not be negative. A wait the scheduler sees lets the runtime's
// sysmon take the P of a goroutine blocked in it and wake another thread to
// run it, which costs a loop that idles for moments at a time more than its
// wait does; a short raw wait first avoids that. A signal (the runtime's
// preemption among them) ends the wait early, with no error.
func (r *Ring) SubmitAndWaitRaw(minComplete uint32, timeout time.Duration) (int, error) {
	if timeout < 0 {
		return 0, os.NewSyscallError("io_uring_enter", unix.EINVAL)
	}
	return r.enter(r.flushSQ(), minComplete, IORING_ENTER_GETEVENTS, timeout, true)
}

// FlushCQ asks the kernel to move completions it holds back (overflow, or
// deferred task work) into the CQ ring, without submitting or waiting.
func (r *Ring) FlushCQ() error {
	_, err := r.enter(0, 0, IORING_ENTER_GETEVENTS, -1, false)
	return err
}

// enter runs io_uring_enter, retrying on EINTR with what is left of the
// timeout (a raw wait returns instead, so that a preemption the signal asked
// for happens in the caller), and treating ETIME, EAGAIN and EBUSY as a
// return with nothing more done.
func (r *Ring) enter(toSubmit, minComplete, flags uint32, timeout time.Duration, raw bool) (int, error) {
	var arg unsafe.Pointer
	var argSz uintptr
	var deadline time.Time
	if minComplete > 0 && timeout >= 0 {
		if r.params.Features&IORING_FEAT_EXT_ARG == 0 {
			return 0, os.NewSyscallError("io_uring_enter", unix.EINVAL)
		}
		deadline = time.Now().Add(timeout)
		r.ts = DurationTimespec(timeout)
		r.arg = GeteventsArg{Ts: uint64(uintptr(unsafe.Pointer(&r.ts)))}
		arg, argSz = unsafe.Pointer(&r.arg), unsafe.Sizeof(r.arg)
		flags |= IORING_ENTER_EXT_ARG
	}
	fd, regFlag := r.enterFd()
	flags |= regFlag
	for {
		n, errno := enterSyscall(fd, toSubmit, minComplete, flags, arg, argSz, raw)
		switch errno {
		case 0:
			return n, nil
		case unix.EINTR:
			if raw {
				return 0, nil
			}
			// Nothing was submitted (the kernel reports a partial submission
			// as a count), and the wait must not start over.
			toSubmit = r.sqeTail - atomic.LoadUint32(r.sqHead)
			if arg != nil {
				r.ts = DurationTimespec(max(time.Until(deadline), 0))
			}
			continue
		case unix.ETIME, unix.EAGAIN, unix.EBUSY:
			return 0, nil
		}
		return 0, os.NewSyscallError("io_uring_enter", errno)
	}
}
