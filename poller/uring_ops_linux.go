package poller

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/internal/completion"
	"github.com/sockloop/sockloop/internal/uring"
)

// uringOps is the io_uring backend's Completer: multishot accepts and
// receives, and gathered sends, submitted in the ring the polls use.
//
// A completion's user_data carries the Op in its top byte (polls have 0 there,
// the wake-up and cancellations 0xff) and below it the caller's token, except
// for sends, which carry the index of the slot that keeps their msghdr and
// iovecs alive, and find the token there.
//
// Receives take their buffers from one provided-buffer ring, filled from a
// slab allocated with the poller; a buffer the caller releases goes back to
// the ring at the next Wait, before its io_uring_enter.
//
// Receives, and their cancellations, are listed and put in the submission
// queue by the next Wait, after the turn's other operations: the kernel
// issues SQEs in order, and a receive armed again ahead of the send of what
// it brought (a relay) would take in more input before the send drained the
// output, keeping a relay's output above its high-water mark.
type uringOps struct {
	enabled bool // the kernel has multishot receive and buffer rings
	count   int  // provided buffers
	size    int  // bytes in each
	bufs    *uring.BufRing
	slab    []byte
	unpub   bool // buffers released since the last Publish

	sends []*uringSend // by index; pointers, so that growing moves no msghdr
	free  []int32      // indexes of idle sends
	done  []completion.Completion
	recvs []uringRecv // receives and cancellations for the next Wait to queue
}

// uringRecv is a receive to arm, or with cancel set, one to cancel.
type uringRecv struct {
	fd     int
	token  uint64
	limit  int
	cancel bool
}

// uringSend keeps what a sendmsg or a connect points the kernel at (header,
// iovecs and the caller's slices; the address) referenced from submission
// until completion.
type uringSend struct {
	msg   unix.Msghdr
	iov   []unix.Iovec
	addr  unix.RawSockaddrAny
	token uint64
	busy  bool
}

const (
	udSpecial = 0xff // top byte of udWake and udIgnore
	bufGroup  = 0    // the provided buffers' group id
)

// opsSupported reports whether the kernel has what the Completer needs
// beyond the polls: multishot receive, which came in Linux 6.0 together with
// IORING_OP_SEND_ZC, whose presence the probe can see, and buffer rings
// (5.19).
var opsSupported = func() bool {
	probe := uringProbe()
	return probe != nil && probe.Supported(uring.IORING_OP_SEND_ZC) &&
		probe.Supported(uring.IORING_OP_SENDMSG) && probe.Supported(uring.IORING_OP_ACCEPT)
}

func (o *uringOps) init(opts Options) {
	o.enabled = opsSupported() && opts.URingOff&URingCompletion == 0
	o.SizeBuffers(0, 0)
	o.done = make([]completion.Completion, 0, 1024)
}

// SizeBuffers sizes the provided buffers, before the first receive makes them.
func (o *uringOps) SizeBuffers(count, size int) {
	if o.bufs != nil {
		return
	}
	if count <= 0 {
		count = completion.Buffers
	}
	if size <= 0 {
		size = completion.MaxBufferSize
	}
	// A buffer ring holds a power of two of buffers, up to 32768.
	o.count, o.size = min(1<<15, 1<<bitsFor(count)), size
}

// bitsFor returns the number of bits needed to count to n.
func bitsFor(n int) uint {
	b := uint(0)
	for 1<<b < n {
		b++
	}
	return b
}

func (p *uringPoller) Completer() completion.Completer {
	if !p.enabled {
		return nil
	}
	return p
}

func opData(op completion.Op, token uint64) uint64 { return uint64(op)<<56 | token&completion.MaxToken }

// opSQE returns an SQE for an operation, starting the ring if needed.
func (p *uringPoller) opSQE() (*uring.SQE, error) {
	if err := p.start(); err != nil {
		return nil, err
	}
	sqe := p.getSQE()
	if sqe == nil {
		return nil, os.NewSyscallError("io_uring_enter", unix.EBUSY)
	}
	return sqe, nil
}

func (p *uringPoller) Accept(fd int, token uint64) error {
	sqe, err := p.opSQE()
	if err != nil {
		return err
	}
	sqe.PrepAcceptMultishot(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
	sqe.UserData = opData(completion.OpAccept, token)
	return nil
}

func (p *uringPoller) Recv(fd int, token uint64, limit int) error {
	if err := p.start(); err != nil {
		return err
	}
	if p.bufs == nil {
		if err := p.provideBuffers(); err != nil {
			return err
		}
	}
	p.recvs = append(p.recvs, uringRecv{fd: fd, token: token, limit: limit})
	return nil
}

// queueRecvs puts the listed receives and cancellations in the submission
// queue, in the order asked; it reports false if some are left for want of
// room.
func (p *uringPoller) queueRecvs() bool {
	i := 0
	for ; i < len(p.recvs); i++ {
		sqe := p.getSQE()
		if sqe == nil {
			break
		}
		r := &p.recvs[i]
		switch {
		case r.cancel:
			sqe.PrepCancel(opData(completion.OpRecv, r.token), 0)
			sqe.UserData = udIgnore
			sqe.Flags |= uring.IOSQE_CQE_SKIP_SUCCESS
			continue
		case r.limit <= 0:
			sqe.PrepRecvMultishot(r.fd, bufGroup, 0)
		case boundedRecv():
			sqe.PrepRecvMultishot(r.fd, bufGroup, 0)
			sqe.SpliceFdIn = int32(min(r.limit, 1<<31-1)) // optlen: the bytes it may bring
		default:
			sqe.PrepRecvSelect(r.fd, bufGroup, 0)
		}
		sqe.UserData = opData(completion.OpRecv, r.token)
	}
	p.recvs = p.recvs[:copy(p.recvs, p.recvs[i:])]
	return len(p.recvs) == 0
}

// provideBuffers registers the buffer ring and fills it from a new slab.
func (p *uringPoller) provideBuffers() error {
	b, err := p.ring.RegisterBufRing(bufGroup, p.count)
	if err != nil {
		return err
	}
	p.slab = make([]byte, p.count*p.size)
	b.AddSlab(p.slab, p.size)
	p.bufs = b
	return nil
}

// maxSendLen is the most a send operation's 32-bit length field carries.
const maxSendLen = 1<<32 - 1

func (p *uringPoller) Send(fd int, bufs [][]byte, token uint64) error {
	if len(bufs) == 0 {
		return os.NewSyscallError("sendmsg", unix.EINVAL)
	}
	sqe, err := p.opSQE()
	if err != nil {
		return err
	}
	i, s := p.slot()
	n := min(len(bufs), completion.MaxIovecs)
	if cap(s.iov) < n {
		s.iov = make([]unix.Iovec, n)
	}
	s.iov = s.iov[:n]
	for j, b := range bufs[:n] {
		s.iov[j].Base = unsafe.SliceData(b)
		s.iov[j].SetLen(len(b))
	}
	s.token, s.busy = token, true
	if n == 1 && uint64(len(bufs[0])) <= maxSendLen {
		// One slice: a send operation, which spares the kernel copying in
		// a msghdr and importing an iovec (io_sendmsg_setup was 2% of an
		// io_uring echo server's CPU). s.iov still holds the reference.
		sqe.PrepSend(fd, bufs[0], 0)
	} else {
		s.msg = unix.Msghdr{Iov: &s.iov[0]}
		s.msg.SetIovlen(n)
		sqe.PrepSendmsg(fd, &s.msg, 0)
	}
	sqe.UserData = opData(completion.OpSend, uint64(i))
	return nil
}

// slot returns an idle send slot and its index.
func (p *uringPoller) slot() (int32, *uringSend) {
	if n := len(p.free); n > 0 {
		i := p.free[n-1]
		p.free = p.free[:n-1]
		return i, p.sends[i]
	}
	p.sends = append(p.sends, new(uringSend))
	i := int32(len(p.sends) - 1)
	return i, p.sends[i]
}

func (p *uringPoller) Connect(fd int, sa unix.Sockaddr, token uint64) error {
	var raw unix.RawSockaddrAny
	n, err := uring.SockaddrToRaw(sa, &raw)
	if err != nil {
		return err
	}
	sqe, err := p.opSQE()
	if err != nil {
		return err
	}
	i, s := p.slot()
	s.addr, s.token, s.busy = raw, token, true
	sqe.PrepConnect(fd, &s.addr, n)
	sqe.UserData = opData(completion.OpConnect, uint64(i))
	return nil
}

func (p *uringPoller) Cancel(op completion.Op, token uint64) error {
	if op == completion.OpRecv {
		// After the receive, which may still be listed.
		if err := p.start(); err != nil {
			return err
		}
		p.recvs = append(p.recvs, uringRecv{token: token, cancel: true})
		return nil
	}
	sqe, err := p.opSQE()
	if err != nil {
		return err
	}
	sqe.PrepCancel(opData(op, token), 0)
	sqe.UserData = udIgnore
	sqe.Flags |= uring.IOSQE_CQE_SKIP_SUCCESS
	return nil
}

func (p *uringPoller) CancelFd(fd int) error {
	if err := p.start(); err != nil {
		return err
	}
	// A receive still listed for fd goes ahead, to be cancelled too.
	if !p.queueRecvs() {
		return os.NewSyscallError("io_uring_enter", unix.EBUSY)
	}
	sqe, err := p.opSQE()
	if err != nil {
		return err
	}
	sqe.PrepCancelFd(fd, uring.IORING_ASYNC_CANCEL_ALL)
	sqe.UserData = udIgnore
	sqe.Flags |= uring.IOSQE_CQE_SKIP_SUCCESS
	return nil
}

func (p *uringPoller) BoundsRecv() bool { return boundedRecv() }

func (p *uringPoller) Batched() bool { return true }

func (p *uringPoller) ReleaseBuffer(id uint16) {
	p.bufs.Recycle(id)
	p.unpub = true
}

// publishBuffers hands the buffers released since the last Wait back to the
// kernel.
func (p *uringPoller) publishBuffers() {
	if p.unpub {
		p.bufs.Publish()
		p.unpub = false
	}
}

func (p *uringPoller) Completions() []completion.Completion { return p.done }

// completeOp records an operation's completion for Completions.
func (p *uringPoller) completeOp(op completion.Op, token uint64, res int32, flags uint32) {
	c := completion.Completion{Op: op, Token: token, Res: res, More: flags&uring.IORING_CQE_F_MORE != 0}
	switch op {
	case completion.OpSend, completion.OpConnect:
		s := p.sends[token]
		c.Token = s.token
		clear(s.iov) // drop the references to the caller's memory
		s.busy = false
		p.free = append(p.free, int32(token))
	case completion.OpRecv:
		if flags&uring.IORING_CQE_F_BUFFER != 0 {
			c.BufID = uint16(flags >> uring.IORING_CQE_BUFFER_SHIFT)
			buf := p.bufs.Buffer(c.BufID)
			if res > 0 {
				c.Buf = buf[:res:res]
			} else {
				// A buffer picked for a receive that found nothing goes
				// straight back.
				p.ReleaseBuffer(c.BufID)
			}
		}
	}
	p.done = append(p.done, c)
}

// closeOps releases the buffer ring after the ring itself is closed.
func (p *uringPoller) closeOps() error {
	if p.bufs == nil {
		return nil
	}
	err := p.bufs.Close()
	p.bufs, p.slab = nil, nil
	return err
}
