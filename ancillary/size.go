//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ancillary

import (
	"math"

	"golang.org/x/sys/unix"
)

// hdrLen is CMSG_LEN(0): the size of struct cmsghdr rounded up to the
// platform's control-message alignment (cmsgAlign, set per OS).
const hdrLen = (unix.SizeofCmsghdr + cmsgAlign - 1) &^ (cmsgAlign - 1)

// The largest data lengths Len and Space accept. Like CPython, which checks
// CMSG_LEN(n) against the C int / socklen_t range and CMSG_SPACE(n) against
// that range less CMSG_SPACE(1), results always fit in an int32.
const (
	maxLenData   = math.MaxInt32 - hdrLen
	maxSpaceData = math.MaxInt32 - (hdrLen + cmsgAlign)
)

// align rounds n (0 <= n <= maxLenData) up to the control-message alignment.
func align(n int) int { return (n + cmsgAlign - 1) &^ (cmsgAlign - 1) }

// Len returns CMSG_LEN(n): the cmsg_len of a control message carrying n
// data bytes. It returns a *SizeError when n is negative or the result
// would not fit a socklen_t.
func Len(n int) (int, error) {
	if n < 0 || n > maxLenData {
		return 0, &SizeError{Op: "Len", N: n}
	}
	return hdrLen + n, nil
}

// Space returns CMSG_SPACE(n): the bytes a control message carrying n data
// bytes occupies in a buffer, trailing padding included. It returns a
// *SizeError when n is negative or the result would not fit a socklen_t.
// Size receive buffers as the sum of Space for each expected message.
func Space(n int) (int, error) {
	if n < 0 || n > maxSpaceData {
		return 0, &SizeError{Op: "Space", N: n}
	}
	return hdrLen + align(n), nil
}
