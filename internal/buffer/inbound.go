package buffer

import (
	"unsafe"

	"github.com/valyala/bytebufferpool"
)

// Inbound keeps the bytes a handler left unconsumed between reads. It holds
// pool memory only while it is not empty.
type Inbound struct {
	bb *bytebufferpool.ByteBuffer
}

// Empty reports whether Inbound holds no pool memory.
func (in *Inbound) Empty() bool { return in.bb == nil }

// Keep stores a copy of b and returns the stored bytes.
func (in *Inbound) Keep(b []byte) []byte {
	if in.bb == nil {
		in.bb = pool.Get()
	}
	in.bb.B = append(in.bb.B[:0], b...)
	return in.bb.B
}

// Spare moves the unconsumed tail rest (a suffix of the stored bytes) to the
// front, makes room for at least min more bytes, and returns the free space
// to read into, along with the moved tail.
func (in *Inbound) Spare(rest []byte, min int) (free, moved []byte) {
	b := in.bb.B
	n := copy(b, rest)
	b = b[:n]
	if cap(b)-n < min {
		grown := make([]byte, n, n+max(min, n))
		copy(grown, b)
		b = grown
	}
	in.bb.B = b
	return b[n:cap(b)], b
}

// Extend records that n bytes were read into the free space Spare returned
// and returns all unconsumed bytes.
func (in *Inbound) Extend(n int) []byte {
	in.bb.B = in.bb.B[:len(in.bb.B)+n]
	return in.bb.B
}

// Release returns the pool memory.
func (in *Inbound) Release() {
	if in.bb != nil {
		pool.Put(in.bb)
		in.bb = nil
	}
}

// Owns reports whether b lies inside the stored bytes' memory.
func (in *Inbound) Owns(b []byte) bool {
	return in.bb != nil && Within(b, in.bb.B)
}

// Within reports whether b lies inside the memory of mem (up to its capacity).
func Within(b, mem []byte) bool {
	if len(b) == 0 || cap(mem) == 0 {
		return false
	}
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(mem)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return p >= lo && p+uintptr(len(b)) <= lo+uintptr(cap(mem))
}
