// Package completion is the protocol between a loop and a completion-model
// poller backend (io_uring operations on Linux, IOCP on Windows): the
// operations a loop asks for, the results it reads back, how a token names
// a connection, and the sizes both sides agree on. It is written down here
// once, so that package poller implements it and package loop uses it
// without either exporting it to users.
package completion

import "syscall"

// Op names an operation a Completer carries out.
type Op uint8

const (
	// OpAccept is a multishot accept: one completion per connection, with
	// the new descriptor as Res.
	OpAccept Op = iota + 1
	// OpRecv is a multishot receive into the Completer's provided buffers:
	// one completion per chunk received, Res bytes in Buf; Res 0 is the end
	// of input.
	OpRecv
	// OpSend is one gathered send; Res is the number of bytes sent.
	OpSend
	// OpConnect is a connect on a new socket; Res is 0 once connected.
	OpConnect
)

// Completion reports an operation's result, read from Completions.
type Completion struct {
	Op    Op
	Token uint64 // the caller's token, given with the operation
	// Res is the result: a descriptor (OpAccept), a byte count (OpRecv,
	// OpSend) or a negated errno.
	Res int32
	// More is set while a multishot operation stays armed; its last
	// completion has it clear, whatever the reason it ended.
	More bool
	// Buf holds an OpRecv's Res bytes, in the provided buffer BufID, which
	// stays the caller's until ReleaseBuffer gives it back; with Buf nil
	// there is nothing to give back.
	Buf   []byte
	BufID uint16
}

// Err returns the completion's error: nil, or the errno that Res negates.
func (c *Completion) Err() error {
	if c.Res >= 0 {
		return nil
	}
	return syscall.Errno(-c.Res)
}

// A token is 56 bits: a backend keeps the top byte of its own 64-bit tags
// for the Op. A connection's token is its descriptor in the low 32 bits and
// a generation in the 24 above, so that a completion for an earlier
// connection on the same descriptor number is not taken for a later one's.
const (
	// MaxToken is the largest token an operation may carry.
	MaxToken = 1<<56 - 1
	// GenMask keeps a generation within a token.
	GenMask = 1<<24 - 1
)

// Token names descriptor fd in its generation gen.
func Token(fd int, gen uint32) uint64 { return uint64(gen&GenMask)<<32 | uint64(uint32(fd)) }

// TokenFd is the descriptor a Token names.
func TokenFd(token uint64) int { return int(uint32(token)) }

const (
	// MaxIovecs is how many slices one gathered send or write takes
	// (IOV_MAX on Linux).
	MaxIovecs = 1024
	// Buffers is how many provided buffers a Completer's receives share
	// unless SizeBuffers says otherwise.
	Buffers = 256
	// MaxBufferSize is the size of a provided buffer unless SizeBuffers
	// says otherwise, and the most a loop asks for.
	MaxBufferSize = 16 << 10
)

// Completer is what a completion-model backend offers beside readiness: the
// loop asks it for socket operations, and the Wait after the kernel finishes
// them reports their results through Completions. All methods are called
// from the goroutine that calls Wait; operations are handed to the kernel in
// that Wait.
//
// Memory handed to an operation (Send's slices, the provided buffers a
// receive fills) stays in use by the kernel until the operation's last
// completion; a caller that closes a descriptor cancels its operations with
// CancelFd and keeps the descriptor and the memory until those completions
// have been read.
type Completer interface {
	// SizeBuffers sets how many provided buffers receives share and their
	// size (0 for either: the default); it takes effect only before the
	// first receive is armed.
	SizeBuffers(count, size int)
	// Accept arms a multishot accept on the listening socket fd.
	Accept(fd int, token uint64) error
	// Recv arms a multishot receive on fd into the provided buffers. When
	// they run out the receive ends with ENOBUFS and may be armed again once
	// buffers are released; the socket keeps the data meanwhile. With limit
	// > 0 it ends (More clear) once it has brought limit bytes (its last
	// completion may pass them by less than a buffer) where BoundsRecv says
	// so, and after its first completion elsewhere: what a receive brings
	// after its caller stopped wanting input stays bounded.
	Recv(fd int, token uint64, limit int) error
	// Batched reports whether operations reach the kernel together at the
	// next Wait, in the order asked (io_uring's submission queue), rather
	// than each as it is asked for (IOCP).
	Batched() bool
	// BoundsRecv reports whether Recv's limit counts bytes (io_uring on
	// Linux 6.16 and later, IOCP) rather than ending a limited receive after
	// its first completion.
	BoundsRecv() bool
	// Send writes bufs to fd as one gathered sendmsg without SIGPIPE; bufs
	// and the memory they refer to must stay unchanged until its completion.
	Send(fd int, bufs [][]byte, token uint64) error
	// Cancel ends the multishot op (OpAccept or OpRecv) armed with token; its
	// last completion follows, usually with -ECANCELED.
	Cancel(op Op, token uint64) error
	// CancelFd ends every operation in flight on fd.
	CancelFd(fd int) error
	// ReleaseBuffer gives a received buffer (Completion.BufID) back for
	// later receives.
	ReleaseBuffer(id uint16)
	// Completions returns the completions the last Wait reaped; the slice is
	// valid until the next Wait.
	Completions() []Completion
}

// Of returns the Completer of poller p, or nil where p's backend, or the
// kernel under it, offers readiness only.
func Of(p any) Completer {
	if c, ok := p.(interface{ Completer() Completer }); ok {
		return c.Completer()
	}
	return nil
}
