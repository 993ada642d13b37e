package loop

import (
	"io"
	"os"
)

// Output that waits to be encrypted (tlsSession.pending): written before
// the session was live, or behind a file. SendFile's bytes must be
// encrypted, so the loop reads them (pread, as an emulated sendfile does) a
// record at a time and encrypts them into the output queue, only while the
// queue is under the high-water mark; what is written meanwhile waits
// behind the file, in order, and so do close_notify and the end of a
// Close. A file is never read into memory whole.

// tlsPending is output that waits: a file's remaining range, or bytes.
type tlsPending struct {
	file *os.File // nil: b
	off  int64
	left int64
	b    []byte
	done func(error) // once its last byte (and all before it) is sent
}

// maxTLSRecord is how much plaintext one record carries.
const maxTLSRecord = 16 << 10

// sendFile queues count bytes of f from offset behind what is written.
func (s *tlsSession) sendFile(c *Conn, f *os.File, offset, count int64, done func(error)) {
	s.pending = append(s.pending, tlsPending{file: f, off: offset, left: count, done: done})
	if s.phase == tlsLive {
		s.pump(c)
	}
}

// queueBehind keeps bytes written while output waits, in order after it.
func (s *tlsSession) queueBehind(bufs [][]byte) int {
	n := 0
	for _, b := range bufs {
		s.pending = append(s.pending, tlsPending{b: append([]byte(nil), b...)})
		n += len(b)
	}
	return n
}

// pump encrypts what waits (pending) while the output queue is under
// the high-water mark, then sends the close_notify asked for meanwhile. A
// file that ends before its range does, or cannot be read, closes the
// connection: the stream would be corrupt if the next bytes followed.
func (s *tlsSession) pump(c *Conn) {
	if s.phase != tlsLive {
		return // goLive pumps
	}
	high := c.l.eng.cfg.highWater
	for len(s.pending) > 0 && c.out.Len() <= high {
		p := &s.pending[0]
		switch {
		case p.file == nil:
			if _, err := s.encrypt(c, p.b); err != nil {
				c.closeNow(err)
				return
			}
			if p.done != nil {
				c.out.Then(p.done)
			}
		case p.left > 0:
			chunk := c.l.fileScratch()[:min(p.left, maxTLSRecord)]
			n, err := p.file.ReadAt(chunk, p.off)
			if n == 0 {
				if err == nil || err == io.EOF {
					err = io.ErrUnexpectedEOF
				}
				c.closeNow(err)
				return
			}
			if _, err := s.encrypt(c, chunk[:n]); err != nil {
				c.closeNow(err)
				return
			}
			p.off += int64(n)
			p.left -= int64(n)
			continue
		case p.done != nil:
			c.out.Then(p.done)
		}
		s.pending[0] = tlsPending{}
		s.pending = s.pending[1:]
	}
	if len(s.pending) == 0 {
		s.pending = nil
		if s.notifyOwed {
			s.notifyOwed = false
			s.closeNotify()
		}
	}
	c.noteHigh()
	c.l.touch(c)
}

// dropPending reports err to the writers of output that will never be
// sent.
func (s *tlsSession) dropPending(err error) {
	pending := s.pending
	s.pending = nil
	for _, p := range pending {
		if p.done != nil {
			p.done(err)
		}
	}
}
