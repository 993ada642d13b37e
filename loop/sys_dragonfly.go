package loop

import "golang.org/x/sys/unix"

const reusePortOption = unix.SO_REUSEPORT
