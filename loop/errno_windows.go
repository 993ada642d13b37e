package loop

import (
	"errors"

	"golang.org/x/sys/windows"
)

// The errors the loop tells apart, by the Winsock codes that play the roles
// errno_unix.go names. A completion's Res carries the negated code.
const (
	errIntr        = windows.WSAEINTR
	errAgain       = windows.WSAEWOULDBLOCK
	errConnAborted = windows.WSAECONNABORTED
	errNoBufs      = windows.WSAENOBUFS
	errCanceled    = windows.ERROR_OPERATION_ABORTED // CancelIoEx
	errPipe        = windows.ERROR_BROKEN_PIPE
	errConnReset   = windows.WSAECONNRESET
	// errDgramRefused: Winsock reports an ICMP port unreachable for an
	// earlier send as WSAECONNRESET on the next receive; it is skipped.
	errDgramRefused = windows.WSAECONNRESET
	errNotStream    = windows.WSAESOCKTNOSUPPORT
)

var errUnsupported = errors.ErrUnsupported

// connectPending reports whether a non-blocking connect goes on in the
// background (Winsock says WSAEWOULDBLOCK).
func connectPending(err error) bool {
	switch err {
	case windows.WSAEWOULDBLOCK, windows.WSAEINPROGRESS, windows.WSAEALREADY, windows.WSAEINTR:
		return true
	}
	return false
}

// outOfResources reports an accept that failed for want of sockets or
// memory: the listener pauses instead of spinning.
func outOfResources(err error) bool {
	switch err {
	case windows.WSAEMFILE, windows.WSAENOBUFS, windows.ERROR_NOT_ENOUGH_MEMORY:
		return true
	}
	return false
}
