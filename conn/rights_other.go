//go:build unix && !linux && !freebsd

package conn

import (
	"syscall"

	"github.com/sockloop/sockloop/ancillary"
	"golang.org/x/sys/unix"
)

// recvFlags are added to every recvmsg; this system has no
// MSG_CMSG_CLOEXEC, so cloexecRights sets the flag after the call.
const recvFlags = 0

// cloexecRights marks every descriptor of the SCM_RIGHTS messages in oob
// close-on-exec. RecvMsgInto calls it under forkRLock with recvmsg, so no
// child inherits them.
func cloexecRights(oob []byte) {
	var scratch [16]int
	p := ancillary.NewParser(oob)
	for m, ok := p.Next(); ok; m, ok = p.Next() {
		if !m.IsRights() {
			continue
		}
		fds, _ := m.Rights(scratch[:0])
		for _, fd := range fds {
			unix.CloseOnExec(fd)
		}
	}
}

// forkRLock holds off fork and exec (syscall.ForkLock) between a recvmsg
// and cloexecRights.
func forkRLock() { syscall.ForkLock.RLock() }

func forkRUnlock() { syscall.ForkLock.RUnlock() }
