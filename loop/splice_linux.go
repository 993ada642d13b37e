package loop

import (
	"os"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/internal/buffer"
)

type bufferSpan = buffer.FileSpan

// pipeCapacity is what a relay keeps in flight in its pipe (Linux's default
// pipe size).
const pipeCapacity = 64 << 10

func sysPipe() (r, w int, err error) {
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_NONBLOCK|unix.O_CLOEXEC); err != nil {
		return -1, -1, os.NewSyscallError("pipe2", err)
	}
	return p[0], p[1], nil
}

// sysSplice moves up to n bytes from in to out without copying them through
// user space.
func sysSplice(in, out, n int) (int64, error) {
	moved, err := unix.Splice(in, nil, out, nil, n, unix.SPLICE_F_NONBLOCK|unix.SPLICE_F_MOVE)
	return int64(moved), err // int on 32-bit systems
}
