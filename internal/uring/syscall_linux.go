package uring

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// The three io_uring system calls, returning a bare errno; callers name the
// call with os.NewSyscallError where the error leaves the package.

// setupSyscall is the io_uring_setup New calls; tests replace it to inject
// errors.
var setupSyscall = setup

// setup wraps io_uring_setup(2).
func setup(entries uint32, p *Params) (int, unix.Errno) {
	fd, _, errno := unix.Syscall(unix.SYS_IO_URING_SETUP, uintptr(entries), uintptr(unsafe.Pointer(p)), 0)
	return int(fd), errno
}

// enterSyscall is the io_uring_enter the ring calls; tests replace it to
// inject errors.
var enterSyscall = enter

// enter wraps io_uring_enter(2); arg and argSz are the extended argument.
// A call that waits for no completion never blocks, so it is a raw system
// call, without the scheduler's entersyscall / exitsyscall around it, as is
// one the caller asks to be raw.
func enter(fd int, toSubmit, minComplete, flags uint32, arg unsafe.Pointer, argSz uintptr, raw bool) (int, unix.Errno) {
	call := unix.Syscall6
	if minComplete == 0 || raw {
		call = unix.RawSyscall6
	}
	n, _, errno := call(unix.SYS_IO_URING_ENTER, uintptr(fd), uintptr(toSubmit), uintptr(minComplete),
		uintptr(flags), uintptr(arg), argSz)
	return int(n), errno
}

// register wraps io_uring_register(2).
func register(fd int, opcode uint32, arg unsafe.Pointer, nrArgs uint32) (int, unix.Errno) {
	n, _, errno := unix.Syscall6(unix.SYS_IO_URING_REGISTER, uintptr(fd), uintptr(opcode), uintptr(arg),
		uintptr(nrArgs), 0, 0)
	return int(n), errno
}
