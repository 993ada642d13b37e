//go:build darwin || dragonfly || freebsd

package loop

import "golang.org/x/sys/unix"

func sysSendfile(fd, infd int, off *int64, count int, _ []byte) (int, error) {
	return unix.Sendfile(fd, infd, off, count)
}
