package buffer

// FileSpan is a range of a file queued to be sent with sendfile(2), or
// bytes waiting in a pipe to be sent with splice(2).
type FileSpan struct {
	Fd        int
	Offset    int64
	Remaining int64
	Pipe      bool // Fd is a pipe's read end; Offset is unused
}

// File queues n bytes of the file fd from off; done (if not nil) runs once
// they are sent or dropped. The caller keeps fd open until then. The span
// counts in Len like queued bytes.
func (q *Queue) File(fd int, off, n int64, done func(error)) {
	if n <= 0 {
		if done != nil {
			done(nil)
		}
		return
	}
	q.push(segment{file: &FileSpan{Fd: fd, Offset: off, Remaining: n}, done: done})
	q.size += int(n)
}

// Control queues a copy of b to be sent with the control data oob, which
// the queue keeps; done (if not nil) runs once b is sent or dropped. b must
// not be empty: stream sockets carry control data only with data.
func (q *Queue) Control(b, oob []byte, done func(error)) {
	bb := pool.Get()
	bb.B = append(bb.B[:0], b...)
	q.push(segment{b: bb.B, pooled: bb, oob: oob, done: done})
}

// HeadFile returns the file span at the head of the queue, nil if the head
// holds bytes.
func (q *Queue) HeadFile() *FileSpan {
	if q.head < len(q.segs) {
		return q.segs[q.head].file
	}
	return nil
}

// HeadControl returns the control data still to be sent with the head's
// bytes, nil if there is none.
func (q *Queue) HeadControl() []byte {
	if q.head < len(q.segs) {
		return q.segs[q.head].oob
	}
	return nil
}

// AdvanceFile records that n bytes of the head file span were sent.
func (q *Queue) AdvanceFile(n int64) {
	s := &q.segs[q.head]
	s.file.Offset += n
	s.file.Remaining -= n
	q.size -= int(n)
	if s.file.Remaining == 0 {
		q.release(s, nil)
		q.head++
		q.compact()
	}
}

// DropHead drops the head segment unsent, reporting err to its owner; a
// file that ends before its span does is dropped this way.
func (q *Queue) DropHead(err error) {
	s := &q.segs[q.head]
	if s.file != nil {
		q.size -= int(s.file.Remaining)
	} else {
		q.size -= len(s.b)
	}
	q.release(s, err)
	q.head++
	q.compact()
}

// CopyFront queues a copy of b ahead of everything else queued, for bytes
// that must lead the stream (a greeting written when a dial completes).
func (q *Queue) CopyFront(b []byte) {
	if len(b) == 0 {
		return
	}
	bb := pool.Get()
	bb.B = append(bb.B[:0], b...)
	s := segment{b: bb.B, pooled: bb}
	if q.head > 0 {
		q.head--
		q.segs[q.head] = s
	} else {
		q.segs = append(q.segs, segment{})
		copy(q.segs[1:], q.segs)
		q.segs[0] = s
	}
	q.size += len(b)
}

// Pipe queues n bytes that wait in the pipe whose read end is fd, joining
// the last span when it is the same pipe, so a relay's chunks leave with as
// few splice calls as the socket allows.
func (q *Queue) Pipe(fd int, n int64) {
	if n <= 0 {
		return
	}
	if last := len(q.segs) - 1; last >= q.head && q.segs[last].file != nil && q.segs[last].file.Pipe && q.segs[last].file.Fd == fd {
		q.segs[last].file.Remaining += n
	} else {
		q.push(segment{file: &FileSpan{Fd: fd, Remaining: n, Pipe: true}})
	}
	q.size += int(n)
}
