//go:build unix

package loop

import "syscall"

// exhaustionErrnos are the accept failures that pause a listener.
var exhaustionErrnos = []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM}

// errMsgSize is the error of a datagram too large to send.
const errMsgSize = syscall.EMSGSIZE

// The errors of a refused connect and a write after reset (errConnReset,
// a peer's reset, is the loop's own).
const (
	errConnRefused = syscall.ECONNREFUSED
	errBrokenPipe  = syscall.EPIPE
)
