package uring

import (
	"os"
	"unsafe"
)

// RsrcUpdate is struct io_uring_rsrc_update, the argument of
// IORING_(UN)REGISTER_RING_FDS among others.
type RsrcUpdate struct {
	Offset uint32
	Resv   uint32
	Data   uint64
}

// RegisterRingFd registers the ring's descriptor with the calling thread
// (IORING_REGISTER_RING_FDS, Linux 5.18), so that every later io_uring_enter
// skips the descriptor lookup.
//
// The registration belongs to the OS thread, like SINGLE_ISSUER: the ring is
// then entered from that thread only, and Close, run on that thread,
// unregisters it; a ring closed elsewhere stays alive until the thread ends.
func (r *Ring) RegisterRingFd() error {
	if r.regIndex >= 0 {
		return nil
	}
	up := RsrcUpdate{Offset: ^uint32(0), Data: uint64(r.fd)}
	if _, errno := register(r.fd, IORING_REGISTER_RING_FDS, unsafe.Pointer(&up), 1); errno != 0 {
		return os.NewSyscallError("io_uring_register", errno)
	}
	r.regIndex = int(up.Offset)
	return nil
}

// unregisterRingFd drops the registration RegisterRingFd made.
func (r *Ring) unregisterRingFd() error {
	if r.regIndex < 0 {
		return nil
	}
	up := RsrcUpdate{Offset: uint32(r.regIndex)}
	r.regIndex = -1
	if _, errno := register(r.fd, IORING_UNREGISTER_RING_FDS, unsafe.Pointer(&up), 1); errno != 0 {
		return os.NewSyscallError("io_uring_register", errno)
	}
	return nil
}

// enterFd returns the descriptor (or registered index) and the extra flag
// io_uring_enter is called with.
func (r *Ring) enterFd() (int, uint32) {
	if r.regIndex >= 0 {
		return r.regIndex, IORING_ENTER_REGISTERED_RING
	}
	return r.fd, 0
}
