//go:build dragonfly || freebsd

package loop

import "golang.org/x/sys/unix"

func sysAccept(fd int) (int, unix.Sockaddr, error) {
	return unix.Accept4(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
}
