// Package poller tells an event loop which descriptors are ready.
//
// # Contract
//
// A Poller watches file descriptors for the events in an interest set and
// reports, from Wait, those that became ready. Every backend honours the same
// rules, and the loop in package loop relies on nothing else:
//
//   - Add, Modify and Delete change the interest set of one descriptor; they
//     are called from the goroutine that calls Wait.
//   - Wait fills the caller's slice with ready descriptors and returns how many
//     it filled. It blocks for at most timeout (negative: no limit, zero: do not
//     block), and it returns early, with n possibly 0, once Wake is called
//     or a signal interrupts it (as the runtime's own preemption can).
//   - Wake may be called from any goroutine, any number of times; wake-ups
//     that arrive while Wait is not running make the next Wait return at once.
//   - Readiness is level-triggered: a descriptor is reported on every Wait for
//     as long as it stays ready. With Options.EdgeTriggered it is reported once
//     per change, and the caller must read or accept until EAGAIN.
//   - Hangup and Error are always reported, whatever the interest set; the
//     caller learns the cause from the next read or from SO_ERROR.
//   - Close releases the backend's descriptors; a Poller is not used after it.
//
// # Completion-model backends
//
// IOCP (Windows) and io_uring (Linux) report completed operations rather than
// readiness. They fit this contract the way libuv fits IOCP, with buffers that
// the loop owns and hands to the poller:
//
//   - Reads: on IOCP the backend keeps a zero-byte overlapped WSARecv
//     outstanding per descriptor, whose completion is reported as Readable;
//     the loop then drains the socket with non-blocking receives into its
//     pooled buffers, exactly as it does after epoll, so no buffer is pinned
//     for an idle connection. io_uring goes one step further through its
//     operations, which package loop drives (the protocol between them is
//     internal to the module): a multishot receive per connection fills
//     buffers from a provided-buffer ring, its completions carry the buffer
//     the kernel chose, and the loop serves that buffer as the connection's
//     input instead of reading, then gives it back.
//   - Writes: the loop gathers its outbound queue and hands the slices to the
//     backend, which keeps them referenced until the completion arrives; the
//     loop advances its queue when the completion reports the byte count,
//     not when the call returns.
//   - Close: every operation in flight is cancelled (CancelIoEx,
//     IORING_OP_ASYNC_CANCEL) and its completion awaited before its buffers
//     return to the pool.
//
// The loop keeps its side of that line: it never assumes a read or a write
// happened because it issued one, only because the poller or the system call
// reported bytes, and all of its socket I/O goes through one small file per
// OS, which a completion backend replaces.
package poller

import (
	"errors"
	"fmt"
	"time"
)

// Event is a set of readiness conditions.
type Event uint32

const (
	// Readable means a read (or an accept) will not block.
	Readable Event = 1 << iota
	// Writable means a write (or a pending connect's completion) will not block.
	Writable
	// Hangup means the peer closed the connection or both directions shut down.
	Hangup
	// Error means the descriptor has a pending error (read it with SO_ERROR).
	Error
)

// String returns the names of the conditions in e joined by "|".
func (e Event) String() string {
	if e == 0 {
		return "0"
	}
	names := [...]string{"Readable", "Writable", "Hangup", "Error"}
	s := ""
	for i, name := range names {
		if e&(1<<i) != 0 {
			if s != "" {
				s += "|"
			}
			s += name
		}
	}
	return s
}

// Ready is one descriptor reported by Wait with the conditions it is in.
type Ready struct {
	Fd     int
	Events Event
}

// Backend names a poller implementation.
type Backend string

const (
	// Default is the platform's usual backend: epoll, kqueue or IOCP.
	Default Backend = ""
	// Epoll is Linux's epoll.
	Epoll Backend = "epoll"
	// IOURing is Linux's io_uring: readiness from poll requests, and, on
	// Linux 6.0 and later, socket operations that package loop drives. It needs
	// the calling goroutine locked to its thread.
	IOURing Backend = "io_uring"
)

// Options select how a Poller reports readiness.
type Options struct {
	// EdgeTriggered reports each descriptor once per change of readiness
	// instead of on every Wait while it stays ready.
	EdgeTriggered bool
	// Backend picks the implementation; a backend the platform or kernel
	// lacks makes New fail with an error matching errors.ErrUnsupported.
	Backend Backend
	// RingEntries sizes an io_uring ring: its submission queue holds
	// RingEntries operations and its completion queue eight times as many
	// completions; 0 picks 512. A turn that needs more submits early, and
	// completions beyond the queue wait in the kernel's overflow list.
	// Other backends ignore it.
	RingEntries int
	// URingOff turns parts of the io_uring backend off, to measure what each
	// buys or to step around a kernel that mishandles one; 0 uses all the
	// kernel offers. Other backends ignore it.
	URingOff URingFeature
	// RawWait lets a blocking Wait of the epoll or io_uring backend spend
	// up to this long (at most MaxRawWait) in a raw epoll_wait or
	// io_uring_enter, unseen by the Go scheduler, before it blocks in one
	// the scheduler sees; 0, the default, never. When every P is taken,
	// sysmon retakes the P of a goroutine blocked in a call it sees and
	// wakes another thread, which a loop idling for moments at a time pays
	// on most of its waits. The cost: meanwhile no other goroutine runs on
	// that P. A Wait skips the raw part when goroutines are ready to run at
	// its start (runtime/metrics), but not those that become ready during
	// it, which wait for it to end. Other backends ignore it.
	RawWait time.Duration
}

// MaxRawWait bounds Options.RawWait: a tenth of the scheduler's
// time slice.
const MaxRawWait = time.Millisecond

// URingFeature names a part of the io_uring backend (see Options.URingOff).
type URingFeature uint8

const (
	// URingCompletion names the socket operations (multishot accept and
	// receive into provided buffers, send and connect); without them the
	// ring only reports readiness, through poll requests.
	URingCompletion URingFeature = 1 << iota
	// URingDeferTaskrun is SINGLE_ISSUER with DEFER_TASKRUN, which runs the
	// kernel's completion work only when the loop enters the ring; without
	// it the ring runs that work cooperatively (COOP_TASKRUN), as kernels
	// 5.19 to 6.0 do.
	URingDeferTaskrun
)

// Poller is the readiness notifier behind one event loop; see the package
// documentation for the contract every backend keeps.
type Poller interface {
	// Add starts watching fd for the conditions in interest.
	Add(fd int, interest Event) error
	// Modify replaces the interest set of a watched fd.
	Modify(fd int, interest Event) error
	// Delete stops watching fd; it must be called before fd is closed.
	Delete(fd int) error
	// Wait fills ready with descriptors that are ready and returns how many.
	Wait(ready []Ready, timeout time.Duration) (int, error)
	// Wake makes a blocked or the next Wait return; safe from any goroutine.
	Wake() error
	// Close releases the poller's own descriptors.
	Close() error
}

// Overflows returns how many times p's completion queue was full, so that
// completions waited in the kernel's backlog until the loop made room
// (io_uring; 0 for other backends). A count that keeps growing says that
// Options.RingEntries is small for the load. Call it from the goroutine
// that calls Wait.
func Overflows(p Poller) uint64 {
	if o, ok := p.(interface{ overflowCount() uint64 }); ok {
		return o.overflowCount()
	}
	return 0
}

// ForgetsOnClose reports whether p stops watching a descriptor when it is
// closed, if no other descriptor refers to the same socket (epoll), so that
// Delete before close(2) may be left out.
func ForgetsOnClose(p Poller) bool {
	f, ok := p.(interface{ forgetsOnClose() bool })
	return ok && f.forgetsOnClose()
}

// WaitsRaw reports whether p's blocking Waits begin raw (Options.RawWait),
// which a backend or kernel without the means ignores: such a Wait returns
// at once when something is ready, as one with a zero timeout does. Call it
// from the goroutine that calls Wait.
func WaitsRaw(p Poller) bool {
	w, ok := p.(interface{ waitsRaw() bool })
	return ok && w.waitsRaw()
}

// ErrClosed is returned by a Poller used after Close.
var ErrClosed = errors.New("poller: closed")

// New returns a readiness poller: by default epoll on Linux, kqueue on the
// BSDs and darwin, an I/O completion port on Windows.
func New(opts Options) (Poller, error) { return newPoller(opts) }

// unsupported is the error for a backend this build or kernel cannot give.
func unsupported(b Backend, why string) error {
	return fmt.Errorf("poller: backend %q: %s: %w", b, why, errors.ErrUnsupported)
}
