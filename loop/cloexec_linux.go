package loop

import "golang.org/x/sys/unix"

// recvmsgFlags makes received descriptors close-on-exec atomically.
const recvmsgFlags = unix.MSG_CMSG_CLOEXEC

func setCloexec([]int) {}
