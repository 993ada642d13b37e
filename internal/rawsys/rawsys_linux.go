package rawsys

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// Read is read(2).
func Read(fd int, b []byte) (int, error) { return rw(unix.SYS_READ, fd, b) }

// Write is write(2).
func Write(fd int, b []byte) (int, error) { return rw(unix.SYS_WRITE, fd, b) }

// Send is send(2) of b with flags.
func Send(fd int, b []byte, flags int) (int, error) {
	r, _, errno := unix.RawSyscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)),
		uintptr(flags), 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}

// rw is read(2) or write(2), by trap.
func rw(trap uintptr, fd int, b []byte) (int, error) {
	r, _, errno := unix.RawSyscall(trap, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)))
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}

// Splice is splice(2) of up to n bytes from in to out, neither at an offset
// (a socket or a pipe on each side).
func Splice(in, out, n, flags int) (int, error) {
	r, _, errno := unix.RawSyscall6(unix.SYS_SPLICE, uintptr(in), 0, uintptr(out), 0, uintptr(n), uintptr(flags))
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}
