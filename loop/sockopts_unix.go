//go:build unix

package loop

import (
	"time"

	"github.com/sockloop/sockloop/sockopt"
)

// The socket options of WithTCPKeepAlive and its kin, and of the
// ListenOptions, through package sockopt: where a system lacks one, sockopt
// reports errors.ErrUnsupported without a system call.

func optKeepAlive(fd int, on bool) error           { return sockopt.SetKeepAlive(fd, on) }
func optKeepCnt(fd, n int) error                   { return sockopt.SetKeepAliveCount(fd, n) }
func optRecvBuf(fd, n int) error                   { return sockopt.SetRecvBuffer(fd, n) }
func optSendBuf(fd, n int) error                   { return sockopt.SetSendBuffer(fd, n) }
func optLinger(fd int, d time.Duration) error      { return sockopt.SetLinger(fd, true, d) }
func optUserTimeout(fd int, d time.Duration) error { return sockopt.SetUserTimeout(fd, d) }
func optFastOpen(fd, n int) error                  { return sockopt.SetFastOpen(fd, n) }
func optDeferAccept(fd int, d time.Duration) error { return sockopt.SetDeferAccept(fd, d) }

// optKeepAliveTimes sets the keep-alive idle time and probe interval; a
// zero one is left as it is.
func optKeepAliveTimes(fd int, idle, intvl time.Duration) error {
	if idle > 0 {
		if err := sockopt.SetKeepAliveIdle(fd, idle); err != nil {
			return err
		}
	}
	if intvl > 0 {
		return sockopt.SetKeepAliveInterval(fd, intvl)
	}
	return nil
}
