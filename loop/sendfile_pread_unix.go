//go:build unix

package loop

import "golang.org/x/sys/unix"

// preadSendfile emulates sendfile(2) where the system has none (netbsd,
// openbsd), and on Linux for the tests of that path: it reads the file into
// scratch and writes what the socket takes; the next call reads again from
// the advanced offset, so nothing unsent is kept. scratch must be memory no
// queued output borrows (Loop.fileScratch), never the loop's read buffer.
func preadSendfile(fd, infd int, off *int64, count int, scratch []byte) (int, error) {
	n, err := unix.Pread(infd, scratch[:min(count, len(scratch))], *off)
	if err != nil || n == 0 {
		return 0, err
	}
	w, err := unix.Write(fd, scratch[:n])
	if w > 0 {
		*off += int64(w)
	}
	return max(w, 0), err
}
