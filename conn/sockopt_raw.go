//go:build linux || freebsd || darwin

package conn

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// getsockoptRaw wraps getsockopt(2) into buf and returns the length written.
func getsockoptRaw(fd, level, opt int, buf []byte) (int, error) {
	l := uint32(len(buf))
	_, _, e := unix.Syscall6(unix.SYS_GETSOCKOPT, uintptr(fd), uintptr(level), uintptr(opt),
		uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&l)), 0)
	if e != 0 {
		return 0, e
	}
	return int(l), nil
}

// setsockoptNil wraps setsockopt(2) with a NULL value of length optlen.
func setsockoptNil(fd, level, opt, optlen int) error {
	_, _, e := unix.Syscall6(unix.SYS_SETSOCKOPT, uintptr(fd), uintptr(level), uintptr(opt), 0, uintptr(optlen), 0)
	if e != 0 {
		return e
	}
	return nil
}
