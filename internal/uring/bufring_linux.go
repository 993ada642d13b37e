package uring

import (
	"errors"
	"os"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// BufRing is a provided buffer ring (IORING_REGISTER_PBUF_RING, Linux 5.19):
// a group of buffers the kernel picks from for operations with
// IOSQE_BUFFER_SELECT, reporting the chosen buffer's id in the completion.
//
// The ring's own entries live in an anonymous mapping this type owns; the
// buffers are the caller's memory, referenced here by id until Close so that
// they stay alive while the kernel may write into them. A BufRing is used by
// the goroutine that uses its Ring.
type BufRing struct {
	ring    *Ring
	mem     []byte // mapping holding the ring's entries
	entries []Buf
	local   uint16 // tail including entries not yet published
	mask    uint16
	bgid    uint16
	bufs    [][]byte // buffer registered under each id
}

// maxBufRingEntries is the kernel's limit on a buffer ring's size.
const maxBufRingEntries = 1 << 15

// ErrBufRingSize is returned for a buffer ring size that is not a power of
// two between 1 and 32768.
var ErrBufRingSize = errors.New("uring: buffer ring size must be a power of two up to 32768")

// RegisterBufRing registers an empty buffer ring of entries slots (a power of
// two up to 32768) as buffer group bgid; Add and Publish fill it.
func (r *Ring) RegisterBufRing(bgid uint16, entries int) (*BufRing, error) {
	if entries < 1 || entries > maxBufRingEntries || entries&(entries-1) != 0 {
		return nil, ErrBufRingSize
	}
	size := entries * int(unsafe.Sizeof(Buf{}))
	page := unix.Getpagesize()
	size = (size + page - 1) &^ (page - 1)
	mem, err := unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANONYMOUS|unix.MAP_PRIVATE)
	if err != nil {
		return nil, os.NewSyscallError("mmap", err)
	}
	reg := BufReg{
		RingAddr:    uint64(uintptr(unsafe.Pointer(&mem[0]))),
		RingEntries: uint32(entries),
		Bgid:        bgid,
	}
	if _, errno := register(r.fd, IORING_REGISTER_PBUF_RING, unsafe.Pointer(&reg), 1); errno != 0 {
		unix.Munmap(mem)
		return nil, os.NewSyscallError("io_uring_register", errno)
	}
	b := &BufRing{
		ring:    r,
		mem:     mem,
		entries: unsafe.Slice((*Buf)(unsafe.Pointer(&mem[0])), entries),
		mask:    uint16(entries - 1),
		bgid:    bgid,
		bufs:    make([][]byte, entries),
	}
	return b, nil
}

// Group returns the buffer group id, for SQE.BufIndex (buf_group).
func (b *BufRing) Group() uint16 { return b.bgid }

// Entries returns the number of slots in the ring, which is also the number
// of buffer ids.
func (b *BufRing) Entries() int { return len(b.entries) }

// Add queues buf under id bid (below Entries) for the kernel to fill; it
// becomes visible to the kernel at the next Publish.
//
// The ring keeps buf referenced until the id is added again or the ring is
// closed; the caller must not touch buf while the kernel owns it, that is
// from Add until a completion reports bid.
func (b *BufRing) Add(bid uint16, buf []byte) {
	b.bufs[bid] = buf
	e := &b.entries[b.local&b.mask]
	// Field by field: entry 0's Resv is the shared tail.
	if len(buf) > 0 {
		e.Addr = uint64(uintptr(unsafe.Pointer(&buf[0])))
	} else {
		e.Addr = 0
	}
	e.Len = uint32(len(buf))
	e.Bid = bid
	b.local++
}

// Recycle queues the buffer last added under bid again, after its contents
// have been consumed; Publish makes it visible.
func (b *BufRing) Recycle(bid uint16) {
	b.Add(bid, b.bufs[bid])
}

// Publish makes every buffer added since the last Publish visible to the
// kernel, with a release store of the ring's tail.
//
// sync/atomic has no 16-bit store, so Publish stores the 32-bit word that
// holds the tail and entry 0's bid, which only this side writes.
func (b *BufRing) Publish() {
	word := (*uint32)(unsafe.Pointer(&b.entries[0].Bid))
	tail, bid := uint32(b.local), uint32(b.entries[0].Bid)
	if bigEndian {
		atomic.StoreUint32(word, bid<<16|tail)
	} else {
		atomic.StoreUint32(word, tail<<16|bid)
	}
}

// bigEndian reports the byte order of this machine, which decides where the
// tail sits in the word Publish stores.
var bigEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 0
}()

// Buffer returns the buffer registered under bid, to slice with the byte
// count of the completion that reported it.
func (b *BufRing) Buffer(bid uint16) []byte { return b.bufs[bid] }

// AddSlab cuts slab into Entries buffers of size bytes each, adds them under
// ids 0 to Entries-1 and publishes them; slab must hold Entries*size bytes.
func (b *BufRing) AddSlab(slab []byte, size int) {
	for i := range b.entries {
		b.Add(uint16(i), slab[i*size:(i+1)*size:(i+1)*size])
	}
	b.Publish()
}

// Close unregisters the buffer group (unless the Ring is closed already) and
// unmaps the ring. Operations still using the group must have completed, or
// been cancelled and reaped, first; the buffers are the caller's again
// afterwards.
func (b *BufRing) Close() error {
	if b.mem == nil {
		return nil
	}
	var err error
	// A closed ring has dropped its buffer groups already.
	if b.ring.fd >= 0 {
		reg := BufReg{Bgid: b.bgid}
		if _, errno := register(b.ring.fd, IORING_UNREGISTER_PBUF_RING, unsafe.Pointer(&reg), 1); errno != 0 {
			err = os.NewSyscallError("io_uring_register", errno)
		}
	}
	if e := unix.Munmap(b.mem); e != nil && err == nil {
		err = os.NewSyscallError("munmap", e)
	}
	b.mem, b.entries, b.bufs = nil, nil, nil
	return err
}
