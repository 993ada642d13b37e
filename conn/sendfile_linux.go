package conn

import (
	"os"

	"golang.org/x/sys/unix"
)

// sendFile is SendFile's fast path: sendfile(2) on a stream socket. It
// reports handled false, having sent nothing, when sendfile cannot serve.
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
	for count == 0 || sent < count {
		chunk := 1 << 30
		if count > 0 && count-sent < int64(chunk) {
			chunk = int(count - sent)
		}
		once, err := s.begin("sendfile", true, 0)
		if err != nil {
			return sent, err, true
		}
		var n int
		perr, serr := s.doWrite(once, func(fd int) (err error) {
			off := offset + sent
			n, err = s.sysSendfile(fd, infd, &off, chunk)
			return err
		})
		if serr != nil && sent == 0 && perr == nil {
			switch serr {
			case unix.EINVAL, unix.ENOSYS, unix.EOPNOTSUPP, unix.ESPIPE:
				return 0, nil, false
			}
		}
		if err := s.wrapErr("sendfile", "sendfile", perr, serr, nil); err != nil {
			return sent, err, true
		}
		if n <= 0 {
			break
		}
		sent += int64(n)
	}
	return sent, nil, true
}

// sysSendfile wraps sendfile(2), through the test hook if set.
func (s *Socket) sysSendfile(outfd, infd int, offset *int64, count int) (int, error) {
	if s.hooks != nil && s.hooks.sendfile != nil {
		return s.hooks.sendfile(outfd, infd, offset, count)
	}
	return unix.Sendfile(outfd, infd, offset, count)
}
