package ancillary

import "golang.org/x/sys/unix"

// cmsgAlign is the alignment of control messages: sizeof(long) on Linux.
const cmsgAlign = unix.SizeofPtr
