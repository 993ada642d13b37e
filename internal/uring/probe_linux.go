package uring

import (
	"os"
	"unsafe"
)

// Probe asks the kernel which opcodes it implements (IORING_REGISTER_PROBE,
// Linux 5.6); Probe.Supported answers per opcode.
func (r *Ring) Probe() (*Probe, error) {
	p := new(Probe)
	if _, errno := register(r.fd, IORING_REGISTER_PROBE, unsafe.Pointer(p), probeOps); errno != 0 {
		return nil, os.NewSyscallError("io_uring_register", errno)
	}
	return p, nil
}
