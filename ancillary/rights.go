//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ancillary

import (
	"encoding/binary"
	"math"

	"golang.org/x/sys/unix"
)

// sizeofFD is the size of one fd in an SCM_RIGHTS message (a C int).
const sizeofFD = 4

// AppendRights appends an SCM_RIGHTS message passing fds to b and returns
// the extended slice; it allocates only when b lacks Space(4*len(fds))
// bytes of capacity. The fds stay open and owned by the caller: the kernel
// duplicates them into the receiver when the message is sent. It returns b
// unchanged and an *ArgError for an fd outside [0, MaxInt32], or a
// *SizeError for more fds than one message can carry. Kernels cap the fds
// per message lower (Linux: 253, SCM_MAX_FD) and fail sendmsg with EINVAL
// beyond it.
func AppendRights(b []byte, fds ...int) ([]byte, error) {
	if len(fds) > maxSpaceData/sizeofFD {
		return b, &SizeError{Op: "AppendRights", N: len(fds)}
	}
	for _, fd := range fds {
		if fd < 0 || fd > math.MaxInt32 {
			return b, &ArgError{Op: "AppendRights", Reason: "fd out of range"}
		}
	}
	b, d := appendHeader(b, unix.SOL_SOCKET, unix.SCM_RIGHTS, sizeofFD*len(fds))
	for i, fd := range fds {
		binary.NativeEndian.PutUint32(d[sizeofFD*i:], uint32(fd))
	}
	return b, nil
}

// IsRights reports whether m is an SCM_RIGHTS message.
func (m Message) IsRights() bool { return m.Is(unix.SOL_SOCKET, unix.SCM_RIGHTS) }

// Rights appends the fds an SCM_RIGHTS message carries to dst and returns
// the extended slice; it allocates only when dst lacks the capacity. The fds
// are open in this process and the caller owns them from here on. It returns
// dst unchanged and a *DecodeError for another kind of message, or for data
// that is not a whole number of non-negative C ints.
func (m Message) Rights(dst []int) ([]int, error) {
	if !m.IsRights() {
		return dst, m.decodeError("Rights", ErrMismatch)
	}
	if len(m.Data)%sizeofFD != 0 {
		return dst, m.decodeError("Rights", ErrMalformed)
	}
	for i := 0; i < len(m.Data); i += sizeofFD {
		if fdAt(m.Data, i) < 0 {
			return dst, m.decodeError("Rights", ErrMalformed)
		}
	}
	for i := 0; i < len(m.Data); i += sizeofFD {
		dst = append(dst, fdAt(m.Data, i))
	}
	return dst, nil
}

// NumRights returns how many whole fds an SCM_RIGHTS message's data holds.
func (m Message) NumRights() int {
	if !m.IsRights() {
		return 0
	}
	return len(m.Data) / sizeofFD
}

// fdAt decodes the C int at data[i:i+4].
func fdAt(data []byte, i int) int { return int(int32(binary.NativeEndian.Uint32(data[i:]))) }
