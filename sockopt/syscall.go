//go:build linux || darwin || dragonfly || freebsd || netbsd

package sockopt

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// getsockopt wraps getsockopt(2) into buf and returns the length written.
func getsockopt(fd, level, opt int, buf []byte) (int, error) {
	var p unsafe.Pointer
	if len(buf) > 0 {
		p = unsafe.Pointer(&buf[0])
	}
	l := uint32(len(buf))
	_, _, e := unix.Syscall6(unix.SYS_GETSOCKOPT, uintptr(fd), uintptr(level), uintptr(opt),
		uintptr(p), uintptr(unsafe.Pointer(&l)), 0)
	if e != 0 {
		return 0, e
	}
	return int(l), nil
}

// setsockopt wraps setsockopt(2); p may be nil with a nonzero length.
func setsockopt(fd, level, opt int, p unsafe.Pointer, n int) error {
	_, _, e := unix.Syscall6(unix.SYS_SETSOCKOPT, uintptr(fd), uintptr(level), uintptr(opt),
		uintptr(p), uintptr(n), 0)
	if e != 0 {
		return e
	}
	return nil
}
