//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package loop

import "golang.org/x/sys/unix"

// recvmsgFlags is 0 where MSG_CMSG_CLOEXEC is missing; setCloexec marks the
// descriptors afterwards (a fork in between could inherit them).
const recvmsgFlags = 0

func setCloexec(fds []int) {
	for _, fd := range fds {
		unix.CloseOnExec(fd)
	}
}
