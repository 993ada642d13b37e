//go:build unix

package conn

import (
	"errors"

	"github.com/sockloop/sockloop/ancillary"
	"golang.org/x/sys/unix"
)

// settleRights makes the descriptors in oob (the control bytes recvmsg
// returned, with its flags) safe to hand over and returns how many bytes
// of oob the caller gets: the descriptors are made close-on-exec where
// recvmsg could not do it, and after MSG_CTRUNC a final message cut short
// by the buffer is left out and the whole descriptors it holds are closed.
func settleRights(oob []byte, flags int) int {
	cloexecRights(oob)
	if flags&unix.MSG_CTRUNC == 0 {
		return len(oob)
	}
	p := ancillary.NewParser(oob)
	for _, ok := p.Next(); ok; _, ok = p.Next() {
	}
	var pe *ancillary.ParseError
	if !errors.As(p.Err(), &pe) || pe.Offset < 0 || pe.Offset > len(oob) {
		return len(oob)
	}
	ancillary.CloseRights(oob[pe.Offset:], flags)
	return pe.Offset
}

// SendFDs sends the buffers with the descriptors fds in one SCM_RIGHTS
// message, in one sendmsg(2), as Python's socket.send_fds does, to addr
// (nil when connected). The caller keeps fds open and owned; the receiver
// gets duplicates. No fds sends no control message. It returns the data
// bytes sent. As SendMsg, it adds no data byte: on a stream socket send at
// least one, or the kernel sends nothing and drops the descriptors.
func (s *Socket) SendFDs(buffers [][]byte, fds []int, addr Addr, flags ...MsgFlag) (int, error) {
	if len(fds) == 0 {
		return s.SendMsg(buffers, nil, addr, flags...)
	}
	oob, err := ancillary.AppendRights(nil, fds...)
	if err != nil {
		return 0, &OpError{Op: "send_fds", Family: s.family, Addr: addr, Err: err}
	}
	return s.SendMsg(buffers, oob, addr, flags...)
}

// RecvFDs receives up to bufsize data bytes and up to maxfds descriptors
// with one recvmsg(2), as Python's socket.recv_fds does: the data, the
// descriptors (open, close-on-exec and owned by the caller), the message
// flags and the sender's address. Every other descriptor that reached this
// process is closed. When the sender passed more descriptors than fit,
// MSG_CTRUNC is set in the flags; the error stays nil, as in Python.
// Control messages other than SCM_RIGHTS are dropped.
func (s *Socket) RecvFDs(bufsize, maxfds int, flags ...MsgFlag) (data []byte, fds []int, msgFlags MsgFlag, addr Addr, err error) {
	if maxfds < 0 {
		return nil, nil, 0, nil, valueErr("recv_fds", "negative maxfds")
	}
	space, err := ancillary.Len(4 * maxfds) // as Python: room for maxfds, no more
	if err != nil {
		return nil, nil, 0, nil, valueErr("recv_fds", "maxfds out of range")
	}
	data, oob, msgFlags, addr, err := s.RecvMsg(bufsize, space, flags...)
	if err != nil {
		return nil, nil, 0, nil, err
	}
	fds, _, terr := ancillary.TakeRights(nil, oob, int(msgFlags), maxfds)
	if terr != nil && !errors.Is(terr, ancillary.ErrTruncated) {
		return data, fds, msgFlags, addr, &OpError{Op: "recv_fds", Family: s.family, Addr: addr, Err: terr}
	}
	return data, fds, msgFlags, addr, nil
}
