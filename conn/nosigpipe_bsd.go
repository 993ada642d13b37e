//go:build darwin || freebsd

package conn

import "github.com/sockloop/sockloop/sockopt"

// noSigpipe asks the kernel not to raise SIGPIPE for writes on fd.
func noSigpipe(fd int) { _ = sockopt.SetNoSigpipe(fd, true) }
