//go:build unix

package loop

import "golang.org/x/sys/unix"

// The errors the loop tells apart, by their Unix names; errno_windows.go
// maps the same roles to Winsock's codes.
const (
	errIntr        = unix.EINTR
	errAgain       = unix.EAGAIN
	errConnAborted = unix.ECONNABORTED
	errNoBufs      = unix.ENOBUFS
	errCanceled    = unix.ECANCELED
	errPipe        = unix.EPIPE
	errConnReset   = unix.ECONNRESET
	// errDgramRefused is what a datagram receive returns after an ICMP
	// port unreachable for an earlier send; it is skipped.
	errDgramRefused = unix.ECONNREFUSED
	// errNotStream refuses to adopt a socket that is not a stream socket.
	errNotStream = unix.ESOCKTNOSUPPORT
)

// connectPending reports whether a non-blocking connect(2) goes on in the
// background.
func connectPending(err error) bool {
	return err == unix.EINPROGRESS || err == unix.EALREADY || err == unix.EINTR
}

// outOfResources reports an accept that failed for want of descriptors or
// memory: the listener pauses instead of spinning.
func outOfResources(err error) bool {
	switch err {
	case unix.EMFILE, unix.ENFILE, unix.ENOBUFS, unix.ENOMEM:
		return true
	}
	return false
}
