//go:build unix && !linux && !darwin && !freebsd

package conn

// noSigpipe does nothing here; Go's runtime ignores SIGPIPE on sockets.
func noSigpipe(int) {}
