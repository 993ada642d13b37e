package loop

import "github.com/sockloop/sockloop/internal/completion"

// The provided buffers of the completion driver: a buffer a receive filled
// is counted while the callback that sees it runs and once per piece of it
// queued as output, and goes back to the kernel when the count drops to
// zero; receives that ended for want of buffers are armed again when some
// come back.

// ringBuffers is how many provided buffers each loop's receives share; a
// variable so that tests can make them run out.
var ringBuffers = completion.Buffers

// maxRingBuffer caps a provided buffer's size; the engine's read buffer
// size, when smaller, is used instead.
const maxRingBuffer = completion.MaxBufferSize

// ringBufSize is the size of one provided buffer: one receive's worth.
func (l *Loop) ringBufSize() int { return min(l.eng.cfg.readBuf, maxRingBuffer) }

// holdBuffer makes buf (provided buffer id) the input being served, counted
// once until the callback returns.
func (l *Loop) holdBuffer(id uint16, buf []byte) {
	if int(id) >= len(l.bufRefs) {
		// Sized once for every buffer the ring has, so that the first
		// receives of each id allocate nothing.
		n := max(ringBuffers, int(id)+1)
		refs := make([]int32, n)
		copy(refs, l.bufRefs)
		l.bufRefs = refs
		lent := make([]bool, n)
		copy(lent, l.bufLent)
		l.bufLent = lent
		for i := len(l.bufDone); i < n; i++ {
			l.bufDone = append(l.bufDone, func(error) { l.unrefBuffer(uint16(i)) })
		}
	}
	l.bufRefs[id] = 1
	l.curID, l.curBuf = int32(id), buf
}

// lendInput queues b, a piece of the provided buffer being served, on c's
// output by reference, counting it until it is sent or dropped. Output can
// wait long on a slow peer, so at most half the buffers are lent at a time:
// beyond that b is copied, and receives never starve for buffers that
// stalled connections hold.
func (l *Loop) lendInput(c *Conn, b []byte) {
	id := l.curID
	if !l.bufLent[id] {
		if l.lent >= ringBuffers/2 {
			c.out.Copy(b)
			return
		}
		l.bufLent[id] = true
		l.lent++
	}
	l.bufRefs[id]++
	c.out.Lend(b, l.bufDone[id])
}

// unrefBuffer drops one count of provided buffer id, giving it back to the
// kernel at the last.
func (l *Loop) unrefBuffer(id uint16) {
	if l.bufRefs[id]--; l.bufRefs[id] > 0 {
		return
	}
	if l.bufLent[id] {
		l.bufLent[id] = false
		l.lent--
	}
	l.giveBack(id)
}

// giveBack returns provided buffer id to the kernel.
func (l *Loop) giveBack(id uint16) {
	l.ops.ReleaseBuffer(id)
	l.freed = true
}

// feedStarved arms again, once buffers came back, the receives that ended
// for want of them; the buffers reach the kernel before the next wait.
func (l *Loop) feedStarved() {
	if !l.freed {
		return
	}
	l.freed = false
	for i := 0; i < len(l.starved); i++ {
		c := l.starved[i]
		l.starved[i] = nil
		c.ring.flags &^= ringStarving
		if c.alive() {
			c.drv.sync(c)
		}
	}
	l.starved = l.starved[:0]
}
