package uring

import (
	"os"
	"unsafe"
)

// SendMsgRing posts a completion with res and userData to the ring with
// descriptor ringFd, waking its waiter, without a ring of the caller's own
// (IORING_REGISTER_SEND_MSG_RING, Linux 6.13); it is safe from any goroutine.
//
// This is how another goroutine wakes a loop blocked in SubmitAndWait. Where
// the kernel is older it fails with EINVAL; an eventfd read armed with
// PrepRead and a write(2) to the eventfd do the same job there.
func SendMsgRing(ringFd int, res uint32, userData uint64) error {
	var sqe SQE
	sqe.PrepMsgRing(ringFd, res, userData, 0)
	if _, errno := register(-1, IORING_REGISTER_SEND_MSG_RING, unsafe.Pointer(&sqe), 1); errno != 0 {
		return os.NewSyscallError("io_uring_register", errno)
	}
	return nil
}
