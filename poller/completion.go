package poller

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

// MaxToken is the largest token an operation may carry.
const MaxToken = 1<<56 - 1

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

// CompleterOf returns p's Completer, or nil where p's backend, or the kernel
// under it, offers readiness only.
func CompleterOf(p Poller) Completer {
	if c, ok := p.(interface{ completer() Completer }); ok {
		return c.completer()
	}
	return nil
}
