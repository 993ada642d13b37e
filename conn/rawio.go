//go:build unix

package conn

import "golang.org/x/sys/unix"

// doRead runs attempt (one system call) on the descriptor under the
// socket's mode: EINTR is retried, EAGAIN waits for readiness unless once.
// It returns the poller's error and the last system call error.
func (s *Socket) doRead(once bool, attempt func(fd int) error) (perr, serr error) {
	perr = s.rc.Read(func(fd uintptr) bool {
		serr = retry(int(fd), attempt)
		return once || serr != unix.EAGAIN
	})
	return perr, serr
}

// doWrite is doRead for the write direction.
func (s *Socket) doWrite(once bool, attempt func(fd int) error) (perr, serr error) {
	perr = s.rc.Write(func(fd uintptr) bool {
		serr = retry(int(fd), attempt)
		return once || serr != unix.EAGAIN
	})
	return perr, serr
}

// control runs one system call with the descriptor held open.
func (s *Socket) control(attempt func(fd int) error) (perr, serr error) {
	perr = s.rc.Control(func(fd uintptr) { serr = retry(int(fd), attempt) })
	return perr, serr
}

// retry calls attempt until it does not fail with EINTR (PEP 475).
func retry(fd int, attempt func(fd int) error) error {
	for {
		err := attempt(fd)
		if err != unix.EINTR {
			return err
		}
	}
}
