package uring

import (
	"errors"
	"os"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Options tune New.
type Options struct {
	// CQEntries sizes the completion queue; 0 leaves the kernel's default of
	// twice the submission queue.
	CQEntries uint32
	// Flags are the io_uring_setup flags to ask for, exactly and without
	// fallback; 0 means SINGLE_ISSUER|DEFER_TASKRUN|TASKRUN_FLAG|SUBMIT_ALL
	// (Linux 6.1), falling back to COOP_TASKRUN|TASKRUN_FLAG|SUBMIT_ALL
	// (5.19) and then to no flags where the kernel answers EINVAL. SQE128,
	// CQE32 and NO_MMAP are not supported.
	Flags uint32
}

// defaultFlags is the fallback chain tried when Options.Flags is 0.
// SUBMIT_ALL keeps one bad SQE from holding back the rest of a batch, which
// would otherwise wait in the SQ ring until the next io_uring_enter.
var defaultFlags = [...]uint32{
	IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_SUBMIT_ALL,
	IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_SUBMIT_ALL,
	0,
}

// Ring is one io_uring instance with its queues mapped into this process.
//
// A Ring is used by one goroutine; with SINGLE_ISSUER that goroutine must be
// locked to the OS thread that called New (see the package documentation).
type Ring struct {
	fd       int
	regIndex int // index from RegisterRingFd, or -1
	params   Params

	sqRing []byte // mapping of the SQ ring (and the CQ ring with SINGLE_MMAP)
	cqRing []byte // separate CQ ring mapping, or nil
	sqeMem []byte // mapping of the SQE array

	sqHead, sqTail, sqFlags *uint32
	sqMask, sqEntries       uint32
	sqes                    []SQE
	sqeTail                 uint32 // next SQE to hand out; published on Submit

	cqHead, cqTail, cqOverflow *uint32
	cqMask, cqEntries          uint32
	cqes                       []CQE

	// arg and ts live in the Ring, not on the stack, so the kernel reads
	// them at addresses that stay put and waiting does not allocate.
	arg GeteventsArg
	ts  Timespec
}

// New sets up a ring with room for entries SQEs (rounded up to a power of two
// by the kernel) and maps its queues.
//
// With Options.Flags 0 it asks for SINGLE_ISSUER|DEFER_TASKRUN and falls back
// as Options describes; Flags reports what was granted. An error wraps the
// errno of io_uring_setup: ENOSYS where the kernel lacks io_uring, EPERM where
// kernel.io_uring_disabled or a seccomp filter forbids it.
func New(entries uint32, opts Options) (*Ring, error) {
	chain := defaultFlags[:]
	if opts.Flags != 0 {
		if opts.Flags&(IORING_SETUP_SQE128|IORING_SETUP_CQE32|IORING_SETUP_NO_MMAP) != 0 {
			return nil, os.NewSyscallError("io_uring_setup", unix.EINVAL)
		}
		chain = []uint32{opts.Flags}
	}
	var p Params
	var fd int
	var errno unix.Errno
	for _, flags := range chain {
		p = Params{Flags: flags}
		if opts.CQEntries != 0 {
			p.Flags |= IORING_SETUP_CQSIZE
			p.CQEntries = opts.CQEntries
		}
		fd, errno = setupSyscall(entries, &p)
		if errno != unix.EINVAL {
			break
		}
	}
	if errno != 0 {
		return nil, os.NewSyscallError("io_uring_setup", errno)
	}
	r := &Ring{fd: fd, regIndex: -1, params: p}
	if err := r.mmap(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// mmap maps the SQ ring, the CQ ring and the SQE array and points the Ring's
// fields into them.
func (r *Ring) mmap() error {
	p := &r.params
	sqSize := int(p.SQOff.Array + p.SQEntries*4)
	cqSize := int(p.CQOff.CQEs + p.CQEntries*uint32(unsafe.Sizeof(CQE{})))
	single := p.Features&IORING_FEAT_SINGLE_MMAP != 0
	if single {
		sqSize = max(sqSize, cqSize)
	}
	prot := unix.PROT_READ | unix.PROT_WRITE
	flags := unix.MAP_SHARED | unix.MAP_POPULATE
	var err error
	if r.sqRing, err = unix.Mmap(r.fd, IORING_OFF_SQ_RING, sqSize, prot, flags); err != nil {
		r.sqRing = nil
		return os.NewSyscallError("mmap", err)
	}
	cq := r.sqRing
	if !single {
		if r.cqRing, err = unix.Mmap(r.fd, IORING_OFF_CQ_RING, cqSize, prot, flags); err != nil {
			r.cqRing = nil
			return os.NewSyscallError("mmap", err)
		}
		cq = r.cqRing
	}
	sqeSize := int(p.SQEntries) * int(unsafe.Sizeof(SQE{}))
	if r.sqeMem, err = unix.Mmap(r.fd, IORING_OFF_SQES, sqeSize, prot, flags); err != nil {
		r.sqeMem = nil
		return os.NewSyscallError("mmap", err)
	}

	sq := r.sqRing
	r.sqHead = u32At(sq, p.SQOff.Head)
	r.sqTail = u32At(sq, p.SQOff.Tail)
	r.sqFlags = u32At(sq, p.SQOff.Flags)
	r.sqMask = *u32At(sq, p.SQOff.RingMask)
	r.sqEntries = *u32At(sq, p.SQOff.RingEntries)
	r.sqes = unsafe.Slice((*SQE)(unsafe.Pointer(&r.sqeMem[0])), p.SQEntries)
	// The SQ array maps ring slots to SQE indexes; an identity map lets
	// Submit publish SQEs by moving the tail alone.
	array := unsafe.Slice(u32At(sq, p.SQOff.Array), r.sqEntries)
	for i := range array {
		array[i] = uint32(i)
	}
	r.sqeTail = atomic.LoadUint32(r.sqTail)

	r.cqHead = u32At(cq, p.CQOff.Head)
	r.cqTail = u32At(cq, p.CQOff.Tail)
	r.cqOverflow = u32At(cq, p.CQOff.Overflow)
	r.cqMask = *u32At(cq, p.CQOff.RingMask)
	r.cqEntries = *u32At(cq, p.CQOff.RingEntries)
	r.cqes = unsafe.Slice((*CQE)(unsafe.Pointer(&cq[p.CQOff.CQEs])), r.cqEntries)
	return nil
}

// u32At returns a pointer to the uint32 at offset off of a ring mapping.
func u32At(b []byte, off uint32) *uint32 {
	return (*uint32)(unsafe.Pointer(&b[off]))
}

// Close unmaps the queues and closes the ring's descriptor. The Ring is not
// used after Close.
//
// The kernel cancels what is still in flight, but finishes doing so after
// Close returns: memory those operations point at may be written until then.
// Cancel every operation and reap its completion before Close when that
// memory is to be reused.
func (r *Ring) Close() error {
	if r.fd < 0 {
		return nil
	}
	var errs []error
	if err := r.unregisterRingFd(); err != nil {
		errs = append(errs, err)
	}
	for _, m := range []*[]byte{&r.sqeMem, &r.cqRing, &r.sqRing} {
		if *m != nil {
			if err := unix.Munmap(*m); err != nil {
				errs = append(errs, os.NewSyscallError("munmap", err))
			}
			*m = nil
		}
	}
	// Nil pointers turn use after Close into a panic, not a fault on unmapped memory.
	r.sqes, r.cqes = nil, nil
	r.sqHead, r.sqTail, r.sqFlags = nil, nil, nil
	r.cqHead, r.cqTail, r.cqOverflow = nil, nil, nil
	if err := unix.Close(r.fd); err != nil {
		errs = append(errs, os.NewSyscallError("close", err))
	}
	r.fd = -1
	return errors.Join(errs...)
}

// Fd returns the ring's descriptor, the target of MSG_RING from other rings.
func (r *Ring) Fd() int { return r.fd }

// Flags returns the setup flags the ring was created with.
func (r *Ring) Flags() uint32 { return r.params.Flags }

// Features returns the IORING_FEAT_ bits the kernel reported.
func (r *Ring) Features() uint32 { return r.params.Features }

// SQEntries returns the number of slots in the submission queue.
func (r *Ring) SQEntries() uint32 { return r.sqEntries }

// CQEntries returns the number of slots in the completion queue.
func (r *Ring) CQEntries() uint32 { return r.cqEntries }
