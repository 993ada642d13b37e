package loop

import "golang.org/x/sys/unix"

const reusePortOption = 0

func sysAccept(fd int) (int, unix.Sockaddr, error) { return acceptNonblock(fd) }
