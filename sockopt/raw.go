//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package sockopt

import (
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// rawName names an option reached by number, for error messages.
func rawName(level, opt int) string { return fmt.Sprintf("level %d option %d", level, opt) }

// GetInt reads an integer option, as getsockopt(2) with an int value.
func GetInt(fd, level, opt int) (int, error) {
	v, err := unix.GetsockoptInt(fd, level, opt)
	if err != nil {
		return 0, &Error{Option: rawName(level, opt), Err: os.NewSyscallError("getsockopt", err)}
	}
	return v, nil
}

// SetInt sets an integer option, as setsockopt(2) with an int value.
func SetInt(fd, level, opt, value int) error {
	if err := unix.SetsockoptInt(fd, level, opt, value); err != nil {
		return &Error{Option: rawName(level, opt), Err: os.NewSyscallError("setsockopt", err)}
	}
	return nil
}

// GetBytes reads an option into a new buffer of buflen bytes, as Python's
// getsockopt(level, opt, buflen), and returns the bytes the kernel wrote.
func GetBytes(fd, level, opt, buflen int) ([]byte, error) {
	if buflen < 0 {
		buflen = 0
	}
	buf := make([]byte, buflen)
	n, err := GetInto(fd, level, opt, buf)
	if err != nil {
		return nil, err
	}
	return buf[:n], nil
}

// GetInto reads an option into buf, which the caller owns, and returns the
// number of bytes the kernel wrote. It does not allocate.
func GetInto(fd, level, opt int, buf []byte) (int, error) {
	n, err := getsockopt(fd, level, opt, buf)
	if err != nil {
		return 0, &Error{Option: rawName(level, opt), Err: os.NewSyscallError("getsockopt", err)}
	}
	return n, nil
}

// SetBytes sets an option from the bytes of b, as Python's
// setsockopt(level, opt, bytes).
func SetBytes(fd, level, opt int, b []byte) error {
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	if err := setsockopt(fd, level, opt, p, len(b)); err != nil {
		return &Error{Option: rawName(level, opt), Err: os.NewSyscallError("setsockopt", err)}
	}
	return nil
}

// SetNil calls setsockopt(2) with a NULL value and the given length, as
// Python's setsockopt(level, opt, None, optlen); AF_ALG sockets use this form
// for ALG_SET_AEAD_AUTHSIZE.
func SetNil(fd, level, opt, optlen int) error {
	if err := setsockopt(fd, level, opt, nil, optlen); err != nil {
		return &Error{Option: rawName(level, opt), Err: os.NewSyscallError("setsockopt", err)}
	}
	return nil
}
