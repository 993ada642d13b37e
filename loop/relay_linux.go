package loop

import (
	"os"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/internal/buffer"
	"github.com/sockloop/sockloop/internal/rawsys"
)

type bufferSpan = buffer.FileSpan

const (
	// pipeCapacity is Linux's default pipe size, what a relay's pipe holds
	// until a splice fills it.
	pipeCapacity = 64 << 10
	// bulkPipeCapacity is what a relay's pipe grows to once a splice fills
	// it: /proc/sys/fs/pipe-max-size by default, so no privilege is needed.
	bulkPipeCapacity = 1 << 20
)

// sysPipe makes a non-blocking pipe and reports how much it holds.
func sysPipe() (r, w int, capacity int64, err error) {
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_NONBLOCK|unix.O_CLOEXEC); err != nil {
		return -1, -1, 0, os.NewSyscallError("pipe2", err)
	}
	n, err := unix.FcntlInt(uintptr(p[0]), unix.F_GETPIPE_SZ, 0)
	if err != nil {
		closeFD(p[0])
		closeFD(p[1])
		return -1, -1, 0, os.NewSyscallError("fcntl", err)
	}
	return p[0], p[1], int64(n), nil
}

// growPipe asks for a bulk pipe and returns what the pipe holds now; a user
// over the kernel's pipe page limits keeps the pipe it had.
func growPipe(fd int, had int64) int64 {
	n, err := unix.FcntlInt(uintptr(fd), unix.F_SETPIPE_SZ, bulkPipeCapacity)
	if err != nil {
		return had
	}
	return int64(n)
}

// shrinkPipe takes an empty pipe back to the default size.
func shrinkPipe(fd int) error {
	_, err := unix.FcntlInt(uintptr(fd), unix.F_SETPIPE_SZ, pipeCapacity)
	return err
}

// sysSplice moves up to n bytes from in to out without copying them through
// user space.
func sysSplice(in, out, n int) (int64, error) {
	moved, err := rawsys.Splice(in, out, n, unix.SPLICE_F_NONBLOCK|unix.SPLICE_F_MOVE)
	return int64(moved), err
}
