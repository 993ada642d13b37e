package uring

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// SQE preparation helpers. Each fills an entry from GetSQE (which comes
// zeroed) for one operation and leaves UserData and Flags to the caller,
// except where the operation needs a flag (buffer selection). Memory the
// entry points at must outlive the operation; see the package documentation.

// prepRW fills the fields every operation shares.
func (s *SQE) prepRW(op uint8, fd int, addr uint64, n uint32, off uint64) {
	s.Opcode = op
	s.Fd = int32(fd)
	s.Addr = addr
	s.Len = n
	s.Off = off
}

// bufAddr returns the address of b's first byte, or 0 for an empty slice.
func bufAddr(b []byte) uint64 {
	if len(b) == 0 {
		return 0
	}
	return heapAddr(uintptr(unsafe.Pointer(&b[0])))
}

// heapAddr returns p as an SQE address. Its go:uintptrescapes directive
// makes the compiler move whatever p points at to the heap, so the kernel
// never holds the address of a goroutine stack, which moves when it grows.
//
//go:uintptrescapes
//go:noinline
func heapAddr(p uintptr) uint64 { return uint64(p) }

// PrepNop prepares a no-op, which completes with res 0.
func (s *SQE) PrepNop() {
	s.prepRW(IORING_OP_NOP, -1, 0, 0, 0)
}

// PrepAccept prepares one accept(4) on listener fd with SOCK_ flags (such as
// SOCK_NONBLOCK|SOCK_CLOEXEC); the peer address is not asked for, and res is
// the new descriptor.
func (s *SQE) PrepAccept(fd int, flags int) {
	s.prepRW(IORING_OP_ACCEPT, fd, 0, 0, 0)
	s.OpFlags = uint32(flags)
}

// PrepAcceptMultishot prepares an accept that stays armed, posting one
// completion per connection with IORING_CQE_F_MORE set while it stays armed
// (Linux 5.19).
func (s *SQE) PrepAcceptMultishot(fd int, flags int) {
	s.PrepAccept(fd, flags)
	s.Ioprio |= IORING_ACCEPT_MULTISHOT
}

// PrepRecv prepares recv(2) on fd into buf with MSG_ flags.
func (s *SQE) PrepRecv(fd int, buf []byte, flags int) {
	s.prepRW(IORING_OP_RECV, fd, bufAddr(buf), uint32(len(buf)), 0)
	s.OpFlags = uint32(flags)
}

// PrepRecvMultishot prepares a receive that stays armed and takes a buffer
// from group bgid for each completion (Linux 6.0); the completion carries
// IORING_CQE_F_BUFFER with the buffer id, and IORING_CQE_F_MORE while armed.
func (s *SQE) PrepRecvMultishot(fd int, bgid uint16, flags int) {
	s.PrepRecvSelect(fd, bgid, flags)
	s.Ioprio |= IORING_RECV_MULTISHOT
}

// PrepRecvSelect prepares one receive into a buffer taken from group bgid
// when data arrives; the completion carries IORING_CQE_F_BUFFER with the
// buffer id.
func (s *SQE) PrepRecvSelect(fd int, bgid uint16, flags int) {
	s.prepRW(IORING_OP_RECV, fd, 0, 0, 0)
	s.OpFlags = uint32(flags)
	s.Flags |= IOSQE_BUFFER_SELECT
	s.BufIndex = bgid
}

// PrepRead prepares read(2) of fd into buf at the file's position, as for an
// eventfd's counter.
func (s *SQE) PrepRead(fd int, buf []byte) {
	s.prepRW(IORING_OP_READ, fd, bufAddr(buf), uint32(len(buf)), ^uint64(0))
}

// PrepWrite prepares write(2) of buf to fd at the file's position.
func (s *SQE) PrepWrite(fd int, buf []byte) {
	s.prepRW(IORING_OP_WRITE, fd, bufAddr(buf), uint32(len(buf)), ^uint64(0))
}

// PrepWritev prepares writev(2) of iovs to fd at the file's position; the
// iovecs and the memory they point at must stay alive until completion.
func (s *SQE) PrepWritev(fd int, iovs []unix.Iovec) {
	var addr uint64
	if len(iovs) > 0 {
		addr = heapAddr(uintptr(unsafe.Pointer(&iovs[0])))
	}
	s.prepRW(IORING_OP_WRITEV, fd, addr, uint32(len(iovs)), ^uint64(0))
}

// PrepSend prepares send(2) of buf on fd with MSG_ flags plus MSG_NOSIGNAL,
// so a closed peer yields EPIPE and no SIGPIPE.
func (s *SQE) PrepSend(fd int, buf []byte, flags int) {
	s.prepRW(IORING_OP_SEND, fd, bufAddr(buf), uint32(len(buf)), 0)
	s.OpFlags = uint32(flags | unix.MSG_NOSIGNAL)
}

// PrepSendZC prepares a zero-copy send(2) of buf on fd with MSG_ flags plus
// MSG_NOSIGNAL (Linux 6.0); it completes twice, with the result flagged
// IORING_CQE_F_MORE and then with IORING_CQE_F_NOTIF once buf may be reused.
func (s *SQE) PrepSendZC(fd int, buf []byte, flags int) {
	s.prepRW(IORING_OP_SEND_ZC, fd, bufAddr(buf), uint32(len(buf)), 0)
	s.OpFlags = uint32(flags | unix.MSG_NOSIGNAL)
}

// PrepSendmsg prepares sendmsg(2) of msg on fd with MSG_ flags plus
// MSG_NOSIGNAL; msg, its iovecs and their memory must stay alive until
// completion.
func (s *SQE) PrepSendmsg(fd int, msg *unix.Msghdr, flags int) {
	s.prepRW(IORING_OP_SENDMSG, fd, heapAddr(uintptr(unsafe.Pointer(msg))), 1, 0)
	s.OpFlags = uint32(flags | unix.MSG_NOSIGNAL)
}

// PrepConnect prepares connect(2) of fd to the salen bytes of sa, which must
// stay alive until completion; SockaddrToRaw fills one.
func (s *SQE) PrepConnect(fd int, sa *unix.RawSockaddrAny, salen uint32) {
	s.prepRW(IORING_OP_CONNECT, fd, heapAddr(uintptr(unsafe.Pointer(sa))), 0, uint64(salen))
}

// PrepSplice prepares splice(2) of up to n bytes from in to out, one of them
// a pipe, at each file's own position, with SPLICE_F_ flags (Linux 5.7).
func (s *SQE) PrepSplice(in, out int, n uint32, flags uint32) {
	// Off is off_out and Addr splice_off_in; -1 means no offset, as a
	// socket or a pipe requires.
	s.prepRW(IORING_OP_SPLICE, out, ^uint64(0), n, ^uint64(0))
	s.SpliceFdIn = int32(in)
	s.OpFlags = flags
}

// PrepClose prepares close(2) of fd.
func (s *SQE) PrepClose(fd int) {
	s.prepRW(IORING_OP_CLOSE, fd, 0, 0, 0)
}

// PrepShutdown prepares shutdown(2) of fd in direction how (unix.SHUT_WR...).
func (s *SQE) PrepShutdown(fd int, how int) {
	s.prepRW(IORING_OP_SHUTDOWN, fd, 0, uint32(how), 0)
}

// PrepCancel prepares the cancellation of the operation submitted with
// userData (of every such operation with IORING_ASYNC_CANCEL_ALL in flags);
// res is 0, -ENOENT when none was found, or -EALREADY when it was running.
func (s *SQE) PrepCancel(userData uint64, flags uint32) {
	s.prepRW(IORING_OP_ASYNC_CANCEL, -1, userData, 0, 0)
	s.OpFlags = flags
}

// PrepCancelFd prepares the cancellation of operations on fd (all of them
// with IORING_ASYNC_CANCEL_ALL in flags; Linux 5.19); res counts those
// cancelled with ALL.
func (s *SQE) PrepCancelFd(fd int, flags uint32) {
	s.prepRW(IORING_OP_ASYNC_CANCEL, fd, 0, 0, 0)
	s.OpFlags = flags | IORING_ASYNC_CANCEL_FD
}

// PrepTimeout prepares a timeout that completes with -ETIME after ts, or with
// res 0 once count other completions have been posted (count 0: time only);
// ts must stay alive until completion.
func (s *SQE) PrepTimeout(ts *Timespec, count uint32, flags uint32) {
	s.prepRW(IORING_OP_TIMEOUT, -1, heapAddr(uintptr(unsafe.Pointer(ts))), 1, uint64(count))
	s.OpFlags = flags
}

// PrepTimeoutRemove prepares the removal of the timeout submitted with
// userData.
func (s *SQE) PrepTimeoutRemove(userData uint64, flags uint32) {
	s.prepRW(IORING_OP_TIMEOUT_REMOVE, -1, userData, 0, 0)
	s.OpFlags = flags
}

// PrepPollAdd prepares a poll for events (POLLIN...) on fd; multishot keeps it
// armed, posting a completion per readiness change with IORING_CQE_F_MORE.
func (s *SQE) PrepPollAdd(fd int, events uint32, multishot bool) {
	s.prepRW(IORING_OP_POLL_ADD, fd, 0, 0, 0)
	if multishot {
		s.Len = IORING_POLL_ADD_MULTI
	}
	s.OpFlags = events
}

// PrepPollRemove prepares the removal of the poll submitted with userData.
func (s *SQE) PrepPollRemove(userData uint64) {
	s.prepRW(IORING_OP_POLL_REMOVE, -1, userData, 0, 0)
}

// PrepMsgRing prepares a message to the ring with descriptor ringFd, which
// receives a completion with res and userData (Linux 5.18); it wakes that
// ring's waiter.
func (s *SQE) PrepMsgRing(ringFd int, res uint32, userData uint64, flags uint32) {
	s.prepRW(IORING_OP_MSG_RING, ringFd, IORING_MSG_DATA, res, userData)
	s.OpFlags = flags
}
