package uring

import (
	"testing"
	"unsafe"
)

// TestLayout checks every structure against the sizes and offsets of
// include/uapi/linux/io_uring.h on 64-bit Linux.
func TestLayout(t *testing.T) {
	var (
		sqe   SQE
		cqe   CQE
		p     Params
		sqo   SQRingOffsets
		cqo   CQRingOffsets
		buf   Buf
		hdr   BufRingHeader
		reg   BufReg
		probe Probe
		op    ProbeOp
		arg   GeteventsArg
	)
	tests := []struct {
		name      string
		got, want uintptr
	}{
		{name: "sizeof io_uring_sqe", got: unsafe.Sizeof(sqe), want: 64},
		{name: "sqe.opcode", got: unsafe.Offsetof(sqe.Opcode), want: 0},
		{name: "sqe.flags", got: unsafe.Offsetof(sqe.Flags), want: 1},
		{name: "sqe.ioprio", got: unsafe.Offsetof(sqe.Ioprio), want: 2},
		{name: "sqe.fd", got: unsafe.Offsetof(sqe.Fd), want: 4},
		{name: "sqe.off", got: unsafe.Offsetof(sqe.Off), want: 8},
		{name: "sqe.addr", got: unsafe.Offsetof(sqe.Addr), want: 16},
		{name: "sqe.len", got: unsafe.Offsetof(sqe.Len), want: 24},
		{name: "sqe.rw_flags", got: unsafe.Offsetof(sqe.OpFlags), want: 28},
		{name: "sqe.user_data", got: unsafe.Offsetof(sqe.UserData), want: 32},
		{name: "sqe.buf_index", got: unsafe.Offsetof(sqe.BufIndex), want: 40},
		{name: "sqe.personality", got: unsafe.Offsetof(sqe.Personality), want: 42},
		{name: "sqe.splice_fd_in", got: unsafe.Offsetof(sqe.SpliceFdIn), want: 44},
		{name: "sqe.addr3", got: unsafe.Offsetof(sqe.Addr3), want: 48},
		{name: "sqe.__pad2", got: unsafe.Offsetof(sqe.Pad2), want: 56},

		{name: "sizeof io_uring_cqe", got: unsafe.Sizeof(cqe), want: 16},
		{name: "cqe.user_data", got: unsafe.Offsetof(cqe.UserData), want: 0},
		{name: "cqe.res", got: unsafe.Offsetof(cqe.Res), want: 8},
		{name: "cqe.flags", got: unsafe.Offsetof(cqe.Flags), want: 12},

		{name: "sizeof io_sqring_offsets", got: unsafe.Sizeof(sqo), want: 40},
		{name: "sq_off.array", got: unsafe.Offsetof(sqo.Array), want: 24},
		{name: "sq_off.user_addr", got: unsafe.Offsetof(sqo.UserAddr), want: 32},
		{name: "sizeof io_cqring_offsets", got: unsafe.Sizeof(cqo), want: 40},
		{name: "cq_off.overflow", got: unsafe.Offsetof(cqo.Overflow), want: 16},
		{name: "cq_off.cqes", got: unsafe.Offsetof(cqo.CQEs), want: 20},
		{name: "cq_off.flags", got: unsafe.Offsetof(cqo.Flags), want: 24},
		{name: "cq_off.user_addr", got: unsafe.Offsetof(cqo.UserAddr), want: 32},

		{name: "sizeof io_uring_params", got: unsafe.Sizeof(p), want: 120},
		{name: "params.features", got: unsafe.Offsetof(p.Features), want: 20},
		{name: "params.wq_fd", got: unsafe.Offsetof(p.WQFd), want: 24},
		{name: "params.resv", got: unsafe.Offsetof(p.Resv), want: 28},
		{name: "params.sq_off", got: unsafe.Offsetof(p.SQOff), want: 40},
		{name: "params.cq_off", got: unsafe.Offsetof(p.CQOff), want: 80},

		{name: "sizeof io_uring_buf", got: unsafe.Sizeof(buf), want: 16},
		{name: "buf.len", got: unsafe.Offsetof(buf.Len), want: 8},
		{name: "buf.bid", got: unsafe.Offsetof(buf.Bid), want: 12},
		{name: "buf.resv", got: unsafe.Offsetof(buf.Resv), want: 14},
		{name: "sizeof io_uring_buf_ring", got: unsafe.Sizeof(hdr), want: 16},
		{name: "buf_ring.tail", got: unsafe.Offsetof(hdr.Tail), want: 14},

		{name: "sizeof io_uring_buf_reg", got: unsafe.Sizeof(reg), want: 40},
		{name: "buf_reg.ring_entries", got: unsafe.Offsetof(reg.RingEntries), want: 8},
		{name: "buf_reg.bgid", got: unsafe.Offsetof(reg.Bgid), want: 12},
		{name: "buf_reg.flags", got: unsafe.Offsetof(reg.Flags), want: 14},
		{name: "buf_reg.resv", got: unsafe.Offsetof(reg.Resv), want: 16},

		{name: "sizeof io_uring_probe_op", got: unsafe.Sizeof(op), want: 8},
		{name: "probe_op.flags", got: unsafe.Offsetof(op.Flags), want: 2},
		{name: "probe_op.resv2", got: unsafe.Offsetof(op.Resv2), want: 4},
		{name: "probe.ops_len", got: unsafe.Offsetof(probe.OpsLen), want: 1},
		{name: "probe.resv2", got: unsafe.Offsetof(probe.Resv2), want: 4},
		{name: "probe.ops", got: unsafe.Offsetof(probe.Ops), want: 16},

		{name: "sizeof io_uring_getevents_arg", got: unsafe.Sizeof(arg), want: 24},
		{name: "getevents_arg.sigmask_sz", got: unsafe.Offsetof(arg.SigmaskSz), want: 8},
		{name: "getevents_arg.min_wait_usec", got: unsafe.Offsetof(arg.MinWaitUsec), want: 12},
		{name: "getevents_arg.ts", got: unsafe.Offsetof(arg.Ts), want: 16},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %d, want %d", tt.name, tt.got, tt.want)
		}
	}
}

// TestLayoutMore checks struct io_uring_rsrc_update and struct
// __kernel_timespec.
func TestLayoutMore(t *testing.T) {
	var (
		up RsrcUpdate
		ts Timespec
	)
	tests := []struct {
		name      string
		got, want uintptr
	}{
		{name: "sizeof io_uring_rsrc_update", got: unsafe.Sizeof(up), want: 16},
		{name: "rsrc_update.data", got: unsafe.Offsetof(up.Data), want: 8},
		{name: "sizeof __kernel_timespec", got: unsafe.Sizeof(ts), want: 16},
		{name: "timespec.tv_nsec", got: unsafe.Offsetof(ts.Nsec), want: 8},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %d, want %d", tt.name, tt.got, tt.want)
		}
	}
}
