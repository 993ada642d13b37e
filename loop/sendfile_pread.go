//go:build netbsd || openbsd

package loop

// sysSendfile is the emulation: these systems have no sendfile(2).
func sysSendfile(fd, infd int, off *int64, count int, scratch []byte) (int, error) {
	return preadSendfile(fd, infd, off, count, scratch)
}
