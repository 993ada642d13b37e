package loop

import (
	"golang.org/x/sys/unix"
)

const reusePortOption = 0 // darwin's SO_REUSEPORT does not balance connections

// needNoSigpipe: writev cannot pass MSG_NOSIGNAL.
const needNoSigpipe = true

func sysSocket(family, sotype int) (int, error) {
	fd, err := unix.Socket(family, sotype, 0)
	return socketNonblock(fd, err, "socket")
}

func sysAccept(fd int) (int, unix.Sockaddr, error) { return acceptNonblock(fd) }

func writevBSD(fd int, bufs [][]byte) (int, error) { return unix.Writev(fd, bufs) }
