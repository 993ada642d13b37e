package loop

import (
	"syscall"

	"golang.org/x/sys/windows"
)

// exhaustionErrnos are the accept failures that pause a listener.
var exhaustionErrnos = []syscall.Errno{windows.WSAEMFILE, windows.WSAENOBUFS, windows.ERROR_NOT_ENOUGH_MEMORY}

// errMsgSize is the error of a datagram too large to send.
const errMsgSize = windows.WSAEMSGSIZE

// The errors of a refused connect and a send after a reset (Winsock says
// WSAECONNABORTED where Unix says EPIPE; errConnReset is the loop's own).
const (
	errConnRefused = windows.WSAECONNREFUSED
	errBrokenPipe  = windows.WSAECONNABORTED
)
