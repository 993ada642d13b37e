//go:build darwin || freebsd

package conn

import "golang.org/x/sys/unix"

// noSigpipe asks the kernel not to raise SIGPIPE for writes on fd.
func noSigpipe(fd int) { _ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_NOSIGPIPE, 1) }
