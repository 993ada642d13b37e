package conn

import "golang.org/x/sys/windows"

// The Winsock errors the portable error code classifies by. A connect in
// progress on a non-blocking socket reports WSAEWOULDBLOCK, as CPython's
// connect_ex returns it.
const (
	errAgain      = windows.WSAEWOULDBLOCK
	errInProgress = windows.WSAEINPROGRESS
	errInval      = windows.WSAEINVAL
	errMsgSize    = windows.WSAEMSGSIZE
	eafnosupport  = windows.WSAEAFNOSUPPORT
)
