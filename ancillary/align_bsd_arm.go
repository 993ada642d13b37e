//go:build (netbsd || openbsd) && arm

package ancillary

// cmsgAlign is the alignment of control messages: 8 bytes on 32-bit ARM
// NetBSD and OpenBSD, as golang.org/x/sys/unix has it.
const cmsgAlign = 8
