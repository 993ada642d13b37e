//go:build dragonfly || freebsd || (netbsd && !arm && !arm64) || (openbsd && !arm)

package ancillary

import "golang.org/x/sys/unix"

// cmsgAlign is the alignment of control messages: sizeof(long) (_ALIGNBYTES
// + 1) on these BSDs.
const cmsgAlign = unix.SizeofPtr
