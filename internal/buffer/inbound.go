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

// Spare returns room for at least min more bytes after the unconsumed tail
// rest (a suffix of the stored bytes), and rest where it lies then. Only a
// short room moves rest to the front, or into memory twice its size: bytes
// that keep arriving behind a tail nobody consumes are copied a bounded
// number of times each, not once per arrival.
func (in *Inbound) Spare(rest []byte, min int) (free, moved []byte) {
	b := in.bb.B
	if cap(b)-len(b) < min {
		n := copy(b, rest)
		b = b[:n]
		if cap(b)-n < min {
			grown := make([]byte, n, n+max(min, n))
			copy(grown, b)
			b = grown
		}
		in.bb.B = b
		rest = b
	}
	return b[len(b):cap(b)], rest
}

// Extend records that n bytes were read into the room Spare returned and
// returns the unconsumed bytes: rest, as Spare returned it, and the n new.
func (in *Inbound) Extend(rest []byte, n int) []byte {
	b := in.bb.B[:len(in.bb.B)+n]
	in.bb.B = b
	return b[len(b)-len(rest)-n:]
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
