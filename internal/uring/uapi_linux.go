package uring

import "time"

// This file lays out the structures of include/uapi/linux/io_uring.h; field
// order, widths and padding match the header, and uapi_linux_test.go checks
// every size and offset.

// SQRingOffsets is struct io_sqring_offsets: where the SQ ring's fields lie in
// the mapping at IORING_OFF_SQ_RING.
type SQRingOffsets struct {
	Head        uint32
	Tail        uint32
	RingMask    uint32
	RingEntries uint32
	Flags       uint32
	Dropped     uint32
	Array       uint32
	Resv1       uint32
	UserAddr    uint64
}

// CQRingOffsets is struct io_cqring_offsets: where the CQ ring's fields lie in
// the mapping at IORING_OFF_CQ_RING.
type CQRingOffsets struct {
	Head        uint32
	Tail        uint32
	RingMask    uint32
	RingEntries uint32
	Overflow    uint32
	CQEs        uint32
	Flags       uint32
	Resv1       uint32
	UserAddr    uint64
}

// Params is struct io_uring_params, passed to io_uring_setup and filled by it.
type Params struct {
	SQEntries    uint32
	CQEntries    uint32
	Flags        uint32
	SQThreadCPU  uint32
	SQThreadIdle uint32
	Features     uint32
	WQFd         uint32
	Resv         [3]uint32
	SQOff        SQRingOffsets
	CQOff        CQRingOffsets
}

// SQE is struct io_uring_sqe, one 64-byte submission queue entry.
//
// Unions are flattened to their first member: Off is also addr2, Addr also
// splice_off_in, OpFlags every per-opcode flag word (rw_flags, msg_flags,
// accept_flags, ...), BufIndex also buf_group, SpliceFdIn also file_index.
type SQE struct {
	Opcode      uint8
	Flags       uint8
	Ioprio      uint16
	Fd          int32
	Off         uint64
	Addr        uint64
	Len         uint32
	OpFlags     uint32
	UserData    uint64
	BufIndex    uint16
	Personality uint16
	SpliceFdIn  int32
	Addr3       uint64
	Pad2        uint64
}

// CQE is struct io_uring_cqe, one 16-byte completion queue entry.
type CQE struct {
	UserData uint64
	Res      int32
	Flags    uint32
}

// Timespec is struct __kernel_timespec, 64-bit on every architecture, as
// timeouts and the wait argument take it.
type Timespec struct {
	Sec  int64
	Nsec int64
}

// DurationTimespec returns d as a Timespec.
func DurationTimespec(d time.Duration) Timespec {
	return Timespec{Sec: int64(d / time.Second), Nsec: int64(d % time.Second)}
}

// GeteventsArg is struct io_uring_getevents_arg, the extended argument of
// io_uring_enter with IORING_ENTER_EXT_ARG.
type GeteventsArg struct {
	Sigmask     uint64
	SigmaskSz   uint32
	MinWaitUsec uint32
	Ts          uint64
}

// Buf is struct io_uring_buf, one entry of a provided buffer ring.
type Buf struct {
	Addr uint64
	Len  uint32
	Bid  uint16
	Resv uint16
}

// BufRingHeader is the head of struct io_uring_buf_ring: it overlays the
// first Buf, with the ring's tail in that entry's Resv field.
type BufRingHeader struct {
	Resv1 uint64
	Resv2 uint32
	Resv3 uint16
	Tail  uint16
}

// BufReg is struct io_uring_buf_reg, the argument of
// IORING_(UN)REGISTER_PBUF_RING.
type BufReg struct {
	RingAddr    uint64
	RingEntries uint32
	Bgid        uint16
	Flags       uint16
	Resv        [3]uint64
}

// ProbeOp is struct io_uring_probe_op, one opcode's entry in a probe.
type ProbeOp struct {
	Op    uint8
	Resv  uint8
	Flags uint16
	Resv2 uint32
}

// probeOps is how many opcode slots a probe asks the kernel to fill.
const probeOps = 256

// Probe is struct io_uring_probe followed by room for 256 opcodes.
type Probe struct {
	LastOp uint8
	OpsLen uint8
	Resv   uint16
	Resv2  [3]uint32
	Ops    [probeOps]ProbeOp
}

// Supported reports whether the kernel implements opcode op.
func (p *Probe) Supported(op uint8) bool {
	return op <= p.LastOp && int(op) < int(p.OpsLen) && p.Ops[op].Flags&IO_URING_OP_SUPPORTED != 0
}
