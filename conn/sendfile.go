//go:build unix || windows

package conn

import (
	"errors"
	"io"
	"os"
	"syscall"
)

// SendFile sends count bytes of file (0: up to the end of the file)
// starting at offset, as Python's socket.sendfile does, and returns the
// bytes sent. It uses sendfile(2) where the system and the file allow (a
// regular file and a stream socket on Linux, macOS and FreeBSD), otherwise
// it reads the file and calls SendAll; a pipe or another unseekable file is
// read in order from where it stands, and then offset must be 0.
//
// Whether it succeeds or fails, once anything was sent the file's position
// is left just after the last byte sent (offset + the count), so after an
// error it tells how much went out; when nothing was sent the position is
// not touched. In timeout mode each wait for the socket is bounded by the
// timeout on its own. Where Python refuses them: in non-blocking mode it
// stops with an error matching ErrWouldBlock once the kernel takes no more,
// and on a datagram socket each chunk (up to 64 KiB) goes out as one
// datagram.
func (s *Socket) SendFile(file *os.File, offset, count int64) (int64, error) {
	if file == nil {
		return 0, valueErr("sendfile", "nil file")
	}
	if offset < 0 || count < 0 {
		return 0, valueErr("sendfile", "negative offset or count")
	}
	sent, err, handled := s.sendFile(file, offset, count)
	if !handled {
		sent, err = s.sendFileCopy(file, offset, count)
	}
	if sent > 0 {
		file.Seek(offset+sent, io.SeekStart)
	}
	return sent, err
}

// sendFileCopy is SendFile's fallback: ReadAt into a buffer, then SendAll.
func (s *Socket) sendFileCopy(file *os.File, offset, count int64) (int64, error) {
	buf := make([]byte, 64<<10)
	var sent int64
	for count == 0 || sent < count {
		chunk := buf
		if count > 0 && count-sent < int64(len(chunk)) {
			chunk = chunk[:count-sent]
		}
		n, rerr := file.ReadAt(chunk, offset+sent)
		if errors.Is(rerr, syscall.ESPIPE) && offset == 0 {
			// A pipe or socket: read it in order, as Python does.
			n, rerr = file.Read(chunk)
		}
		if n > 0 {
			m, err := s.SendAll(chunk[:n])
			sent += int64(m)
			if err != nil {
				return sent, err
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return sent, &OpError{Op: "sendfile", Family: s.family, Err: rerr}
		}
	}
	return sent, nil
}
