//go:build linux || darwin || freebsd

package conn

import (
	"os"

	"golang.org/x/sys/unix"
)

// sendFile is SendFile's fast path: sendfile(2) from a regular file to a
// stream socket. It reports handled false, having sent nothing, when
// sendfile cannot serve. Each wait for the socket is bounded by the
// timeout on its own, as in Python: the deadline is armed again after
// every call that made progress.
func (s *Socket) sendFile(file *os.File, offset, count int64) (sent int64, err error, handled bool) {
	if s.typ != SOCK_STREAM {
		return 0, nil, false
	}
	// Only regular files: a non-blocking pipe's EAGAIN would read as a
	// full socket and spin.
	if st, err := file.Stat(); err != nil || !st.Mode().IsRegular() {
		return 0, nil, false
	}
	rc, err := file.SyscallConn()
	if err != nil {
		return 0, nil, false
	}
	var infd int
	if rc.Control(func(fd uintptr) { infd = int(fd) }) != nil {
		return 0, nil, false
	}
	eof := false
	for !eof && (count == 0 || sent < count) {
		once, err := s.begin("sendfile", true, 0)
		if err != nil {
			return sent, err, true
		}
		perr, serr := s.doWrite(once, func(fd int) error {
			start := sent
			for count == 0 || sent < count {
				chunk := int64(1 << 30) // as Go's internal/poll
				if count > 0 {
					chunk = min(chunk, count-sent)
				}
				off := offset + sent
				// The BSDs and macOS report a partial count with EAGAIN,
				// and leave off alone: trust n, not off.
				n, err := s.sysSendfile(fd, infd, &off, int(chunk))
				if n > 0 {
					sent += int64(n)
				}
				switch {
				case err == unix.EAGAIN && sent > start:
					return nil // progress: arm the deadline again, then wait
				case err != nil:
					return err
				case n == 0:
					eof = true
					return nil
				}
			}
			return nil
		})
		if serr != nil && sent == 0 && perr == nil && cannotSendfile(serr) {
			return 0, nil, false
		}
		if err := s.wrapErr("sendfile", "sendfile", perr, serr, nil); err != nil {
			return sent, err, true
		}
	}
	return sent, nil, true
}

// cannotSendfile reports the errors of a sendfile(2) that cannot serve
// this file or socket at all, so SendFile reads and sends instead.
func cannotSendfile(err error) bool {
	switch err {
	case unix.EINVAL, unix.ENOSYS, unix.EOPNOTSUPP, unix.ESPIPE, unix.ENOTSOCK:
		return true
	}
	return err == unix.ENOTSUP // == EOPNOTSUPP on Linux
}

// sysSendfile wraps sendfile(2), through the test hook if set.
func (s *Socket) sysSendfile(outfd, infd int, offset *int64, count int) (int, error) {
	if s.hooks != nil && s.hooks.sendfile != nil {
		return s.hooks.sendfile(outfd, infd, offset, count)
	}
	return unix.Sendfile(outfd, infd, offset, count)
}
