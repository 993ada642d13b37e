package poller

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// newEventfd makes the non-blocking eventfd a Linux backend wakes through.
func newEventfd() (int, error) {
	fd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		return -1, os.NewSyscallError("eventfd", err)
	}
	return fd, nil
}

// signalEventfd adds one to the eventfd's counter; a saturated counter
// (EAGAIN) already means a wake-up is pending.
func signalEventfd(fd int) error {
	one := uint64(1)
	buf := (*[8]byte)(unsafe.Pointer(&one))[:]
	for {
		_, err := unix.Write(fd, buf)
		switch err {
		case nil, unix.EAGAIN:
			return nil
		case unix.EINTR:
			continue
		}
		return os.NewSyscallError("write", err)
	}
}
