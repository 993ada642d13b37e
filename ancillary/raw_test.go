//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ancillary_test

import (
	"encoding/binary"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
)

// rawHeader returns a struct cmsghdr in the platform's layout (cmsg_len, a
// size_t or socklen_t, then two C ints), with any cmsg_len, padded to the
// aligned header size; tests use it to forge malformed control data.
func rawHeader(length uint64, level, typ int32) []byte {
	b := make([]byte, ancillary.HdrLen)
	lenSize := unix.SizeofCmsghdr - 8
	if lenSize == 8 {
		binary.NativeEndian.PutUint64(b, length)
	} else {
		binary.NativeEndian.PutUint32(b, uint32(length))
	}
	binary.NativeEndian.PutUint32(b[lenSize:], uint32(level))
	binary.NativeEndian.PutUint32(b[lenSize+4:], uint32(typ))
	return b
}

// concat joins byte slices into a new one.
func concat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}
