package sockopt

import (
	"errors"
	"unsafe"

	"golang.org/x/sys/unix"
)

// OpenBSD accepts system calls only through libc, and x/sys/unix exposes
// getsockopt there only for fixed value types, so the raw byte forms go
// through SetsockoptString and the rest report errors.ErrUnsupported.

// getsockopt is unsupported on OpenBSD; see above.
func getsockopt(fd, level, opt int, buf []byte) (int, error) { return 0, errors.ErrUnsupported }

// setsockopt wraps setsockopt(2) through libc; a nil value with a nonzero
// length is unsupported.
func setsockopt(fd, level, opt int, p unsafe.Pointer, n int) error {
	if p == nil && n != 0 {
		return errors.ErrUnsupported
	}
	return unix.SetsockoptString(fd, level, opt, unsafe.String((*byte)(p), n))
}
