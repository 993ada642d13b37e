package netconn

import (
	"errors"
	"net"
	"os"
	"syscall"

	"github.com/sockloop/sockloop/loop"
)

var (
	// errWriteShut is what writes get after CloseWrite, as from a
	// *net.TCPConn whose sending side was shut down.
	errWriteShut = os.NewSyscallError("write", syscall.EPIPE)
	// errNotStarted is the error of a dial on a handler whose engine has
	// not started.
	errNotStarted = errors.New("netconn: the handler's engine has not started")
)

// stoppedError is the error of calls that the engine's stop ended: it is
// loop.ErrEngineStopped, and net.ErrClosed too, since what a caller learns
// is that the listener (or the dial) has gone.
type stoppedError struct{}

func (stoppedError) Error() string { return loop.ErrEngineStopped.Error() }

func (stoppedError) Is(target error) bool {
	return target == loop.ErrEngineStopped || target == net.ErrClosed
}

// opError wraps err, once, in a *net.OpError naming the call, the network
// and the two addresses, as package net reports errors.
func opError(op, network string, local, remote net.Addr, err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) {
		err = oe.Err
	}
	return &net.OpError{Op: op, Net: network, Source: local, Addr: remote, Err: err}
}
