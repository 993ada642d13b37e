//go:build unix

package conn

import "golang.org/x/sys/unix"

// The errnos the portable error code classifies by.
const (
	errAgain      = unix.EAGAIN      // would block
	errInProgress = unix.EINPROGRESS // connect in progress on a non-blocking socket
	errInval      = unix.EINVAL      // bad input
	errMsgSize    = unix.EMSGSIZE    // too many buffers
)
