//go:build dragonfly || freebsd || netbsd

package loop

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// needNoSigpipe: writev cannot pass MSG_NOSIGNAL.
const needNoSigpipe = true

func sysSocket(family, sotype int) (int, error) {
	fd, err := unix.Socket(family, sotype|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	return socketNonblock(fd, err, "socket")
}

// writevBSD gathers bufs with one writev(2).
func writevBSD(fd int, bufs [][]byte) (int, error) {
	iov := make([]unix.Iovec, 0, len(bufs))
	for _, b := range bufs {
		v := unix.Iovec{Base: &b[0]}
		v.SetLen(len(b))
		iov = append(iov, v)
	}
	r, _, errno := unix.Syscall(unix.SYS_WRITEV, uintptr(fd), uintptr(unsafe.Pointer(&iov[0])), uintptr(len(iov)))
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}
