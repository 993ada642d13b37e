package ancillary

// cmsgAlign is the alignment of control messages: 16 bytes on NetBSD
// arm64, as golang.org/x/sys/unix has it.
const cmsgAlign = 16
