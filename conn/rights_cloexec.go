//go:build linux || freebsd

package conn

import "golang.org/x/sys/unix"

// recvFlags are added to every recvmsg: received descriptors are
// close-on-exec from the start.
const recvFlags = unix.MSG_CMSG_CLOEXEC

// cloexecRights does nothing here: MSG_CMSG_CLOEXEC already did it.
func cloexecRights([]byte) {}

func forkRLock()   {}
func forkRUnlock() {}
