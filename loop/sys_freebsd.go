package loop

import "golang.org/x/sys/unix"

// SO_REUSEPORT_LB, not SO_REUSEPORT, balances connections on FreeBSD.
const reusePortOption = unix.SO_REUSEPORT_LB
