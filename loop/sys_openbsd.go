package loop

import (
	"golang.org/x/sys/unix"
)

const reusePortOption = 0

// needNoSigpipe: no SO_NOSIGPIPE; the Go runtime ignores SIGPIPE on sockets.
const needNoSigpipe = false

func sysSocket(family, sotype int) (int, error) {
	fd, err := unix.Socket(family, sotype|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	return socketNonblock(fd, err, "socket")
}

func sysAccept(fd int) (int, unix.Sockaddr, error) { return acceptNonblock(fd) }

func writevBSD(fd int, bufs [][]byte) (int, error) { return unix.Writev(fd, bufs) }
