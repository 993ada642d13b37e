// Package buffer holds the loop's outbound queue and inbound store, both
// backed by github.com/valyala/bytebufferpool so that a connection holds no
// memory while it has nothing buffered.
package buffer

import "github.com/valyala/bytebufferpool"

var pool bytebufferpool.Pool

// segment is one piece of queued output. Its bytes belong to one of three
// owners, and the queue releases them accordingly once written or dropped.
type segment struct {
	b      []byte
	pooled *bytebufferpool.ByteBuffer // the bytes live in pool memory
	borrow bool                       // the bytes are the caller's until Detach
	done   func(error)                // the caller's bytes are theirs again
	oob    []byte                     // control data sent with the first byte of b
	file   *FileSpan                  // a file range to send instead of b
}

// Queue is a FIFO of byte slices written out with one gather call. It is not
// safe for concurrent use.
type Queue struct {
	segs  []segment
	head  int
	size  int
	cache *SegCache
}

// SegCache keeps the segment arrays of queues that have nothing queued, for
// queues that get output next; one goroutine (a loop) owns it and all the
// queues that use it.
type SegCache struct {
	free []*[pooledSegs]segment
}

// maxCachedSegs bounds a cache: beyond it, arrays go to the garbage collector.
const maxCachedSegs = 1024

// UseCache makes the queue take its segment array from c when it gets
// output and give it back once all of it is written or dropped, so that a
// queue with nothing queued holds no memory.
func (q *Queue) UseCache(c *SegCache) { q.cache = c }

// Len returns the number of bytes queued.
func (q *Queue) Len() int { return q.size }

// Empty reports whether nothing is queued.
func (q *Queue) Empty() bool { return q.size == 0 }

// Borrow queues b by reference; the caller keeps b unchanged until the next
// Detach, which copies whatever is still queued of it into pool memory.
func (q *Queue) Borrow(b []byte) {
	if len(b) == 0 {
		return
	}
	q.push(segment{b: b, borrow: true})
}

// Lend queues b by reference until it is written or dropped, then calls done
// (if not nil) with nil or the error that dropped it.
func (q *Queue) Lend(b []byte, done func(error)) {
	if len(b) == 0 {
		if done != nil {
			done(nil)
		}
		return
	}
	q.push(segment{b: b, done: done})
}

// Copy queues a copy of b in pool memory, extending the last segment when it
// is pooled already so that small writes share one buffer.
func (q *Queue) Copy(b []byte) {
	if len(b) == 0 {
		return
	}
	if n := len(q.segs); n > q.head && q.segs[n-1].pooled != nil && q.segs[n-1].done == nil {
		last := &q.segs[n-1]
		// A pooled segment always ends at the end of its buffer (only its front
		// is consumed), so appending keeps it contiguous.
		keep := len(last.b)
		last.pooled.B = append(last.pooled.B, b...)
		last.b = last.pooled.B[len(last.pooled.B)-keep-len(b):]
		q.size += len(b)
		return
	}
	bb := pool.Get()
	bb.B = append(bb.B[:0], b...)
	q.push(segment{b: bb.B, pooled: bb})
}

// Then calls done once every byte queued so far has been written, with nil,
// or dropped, with the reason; at once with nil if nothing is queued.
func (q *Queue) Then(done func(error)) {
	if q.Empty() {
		done(nil)
		return
	}
	last := &q.segs[len(q.segs)-1]
	if first := last.done; first != nil {
		last.done = func(err error) { first(err); done(err) }
		return
	}
	last.done = done
}

// pooledSegs is the length of the segment arrays a SegCache holds. A queue
// that outgrows one keeps its larger slice: it belongs to a busy connection.
const pooledSegs = 4

func (q *Queue) push(s segment) {
	if q.segs == nil && q.cache != nil {
		if n := len(q.cache.free); n > 0 {
			q.segs = q.cache.free[n-1][:0]
			q.cache.free[n-1] = nil
			q.cache.free = q.cache.free[:n-1]
		} else {
			q.segs = new([pooledSegs]segment)[:0]
		}
	} else if q.head > 0 && q.head == len(q.segs) {
		q.segs = q.segs[:0]
		q.head = 0
	}
	q.segs = append(q.segs, s)
	q.size += len(s.b)
}

// Gather appends the queued slices, oldest first, to dst, at most max of them.
// It stops before a file span and before control data other than the head's,
// so that each gather call carries at most the head's control data.
func (q *Queue) Gather(dst [][]byte, max int) [][]byte {
	for i := q.head; i < len(q.segs) && len(dst) < max; i++ {
		s := &q.segs[i]
		if s.file != nil || (s.oob != nil && i > q.head) {
			break
		}
		dst = append(dst, s.b)
	}
	return dst
}

// Advance drops the first n bytes, which were written, releasing the segments
// they emptied.
func (q *Queue) Advance(n int) {
	q.size -= n
	for n > 0 {
		s := &q.segs[q.head]
		s.oob = nil // the kernel sent it with the segment's first byte
		if n < len(s.b) {
			s.b = s.b[n:]
			return
		}
		n -= len(s.b)
		q.release(s, nil)
		q.head++
	}
	q.compact()
}

// Detach copies every borrowed slice still queued into pool memory, so the
// caller may reuse them; it is called when a handler callback returns.
func (q *Queue) Detach() {
	for i := q.head; i < len(q.segs); i++ {
		s := &q.segs[i]
		if !s.borrow {
			continue
		}
		bb := pool.Get()
		bb.B = append(bb.B[:0], s.b...)
		*s = segment{b: bb.B, pooled: bb, done: s.done}
	}
}

// Reset drops everything queued, reporting err to the owners of lent slices.
func (q *Queue) Reset(err error) {
	for i := q.head; i < len(q.segs); i++ {
		q.release(&q.segs[i], err)
	}
	q.head = len(q.segs)
	q.size = 0
	q.compact()
}

func (q *Queue) release(s *segment, err error) {
	if s.pooled != nil {
		pool.Put(s.pooled)
	}
	done := s.done
	*s = segment{}
	if done != nil {
		done(err)
	}
}

func (q *Queue) compact() {
	if q.head == len(q.segs) {
		q.head = 0
		if q.cache != nil && cap(q.segs) == pooledSegs {
			// Every segment was released, and so cleared, on its way out.
			if len(q.cache.free) < maxCachedSegs {
				q.cache.free = append(q.cache.free, (*[pooledSegs]segment)(q.segs[:pooledSegs]))
			}
			q.segs = nil
			return
		}
		q.segs = q.segs[:0]
		return
	}
	// Slide the live segments down once the dead prefix is half the slice,
	// so a queue that never fully drains does not grow without bound.
	if q.head > 16 && q.head*2 >= len(q.segs) {
		n := copy(q.segs, q.segs[q.head:])
		clear(q.segs[n:])
		q.segs = q.segs[:n]
		q.head = 0
	}
}
