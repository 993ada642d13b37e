package uring

import "sync/atomic"

// PeekCQE returns the oldest completion not yet consumed, or nil when the CQ
// ring is empty; the entry stays valid until AdvanceCQ moves past it.
func (r *Ring) PeekCQE() *CQE {
	head := *r.cqHead // only this side writes the head
	if head == atomic.LoadUint32(r.cqTail) {
		return nil
	}
	return &r.cqes[head&r.cqMask]
}

// AdvanceCQ consumes n completions, handing their slots back to the kernel.
func (r *Ring) AdvanceCQ(n uint32) {
	atomic.StoreUint32(r.cqHead, *r.cqHead+n)
}

// CQReady returns how many completions are in the CQ ring.
func (r *Ring) CQReady() uint32 {
	return atomic.LoadUint32(r.cqTail) - *r.cqHead
}

// ReapCQEs copies up to len(dst) completions into dst, consumes them and
// returns how many it copied.
//
// When the CQ ring runs dry before dst is full and the kernel holds
// completions back (a CQ overflow backlog or deferred task work, seen in the
// SQ ring's flags), ReapCQEs flushes them with io_uring_enter and goes on.
func (r *Ring) ReapCQEs(dst []CQE) (int, error) {
	n := r.copyCQEs(dst)
	for n < len(dst) && r.cqNeedsEnter() {
		if err := r.FlushCQ(); err != nil {
			return n, err
		}
		m := r.copyCQEs(dst[n:])
		if m == 0 {
			break
		}
		n += m
	}
	return n, nil
}

// copyCQEs copies and consumes what the CQ ring holds now, up to len(dst).
func (r *Ring) copyCQEs(dst []CQE) int {
	head := *r.cqHead
	tail := atomic.LoadUint32(r.cqTail)
	n := 0
	for ; head != tail && n < len(dst); n++ {
		dst[n] = r.cqes[head&r.cqMask]
		head++
	}
	if n > 0 {
		atomic.StoreUint32(r.cqHead, head)
	}
	return n
}

// OverflowPending reports whether the kernel holds completions that did not
// fit in the CQ ring; FlushCQ or ReapCQEs moves them in as room appears.
func (r *Ring) OverflowPending() bool {
	return atomic.LoadUint32(r.sqFlags)&IORING_SQ_CQ_OVERFLOW != 0
}

// Dropped returns how many completions the kernel lost for want of room,
// which a kernel with IORING_FEAT_NODROP only does when memory runs out.
func (r *Ring) Dropped() uint32 {
	return atomic.LoadUint32(r.cqOverflow)
}
