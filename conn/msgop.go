//go:build unix

package conn

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// msgOp is the reusable state of RecvMsgInto (read side) or SendMsg (write
// side): the msghdr, the iovec scratch and the sender's address buffer live
// here and the poller callback is bound once, so a call allocates nothing
// once iov has grown to the largest buffer count used. The gate serializes
// the calls of one direction; the scratch never outlives a call's hold of
// it.
type msgOp struct {
	g     gate
	s     *Socket
	cb    func(uintptr) bool // run, bound once
	write bool

	iov  []unix.Iovec        // grows to the largest call's count, then kept
	msg  unix.Msghdr         // pointers into iov, the caller's oob and name
	name unix.RawSockaddrAny // the sender (read side) or destination (write side)

	// Per call; cleared before the call returns.
	oob     []byte
	once    bool
	flags   int
	ctrlLen int
	n       int
	err     error
}

func (o *msgOp) init(s *Socket, write bool) {
	o.s, o.write = s, write
	o.cb = o.run
}

// directIovecs is the most buffers a direct attempt gathers; more take the
// poller path and the iovec scratch.
const directIovecs = 8

// direct tries the call at once on the descriptor in direct mode m (see
// direct_unix.go), with its msghdr and iovecs on the stack rather than in
// o's scratch; handled is false when it did nothing and the call is to go
// through do. Its results are do's.
func (o *msgOp) direct(m int32, flags int, bufs [][]byte, oob []byte, dest Addr) (n, oobn, rflags int, addr Addr, serr error, handled bool) {
	if m == directOff || len(bufs) > directIovecs {
		return 0, 0, 0, nil, nil, false
	}
	var iov [directIovecs]unix.Iovec
	var msg unix.Msghdr
	var name unix.RawSockaddrAny
	k := fillIovecs(iov[:], bufs)
	if k > 0 {
		msg.Iov = &iov[0]
		msg.SetIovlen(k)
	}
	if len(oob) > 0 {
		msg.Control = &oob[0]
	}
	if o.write && dest != nil {
		msg.Namelen = uint32(encodeRaw(dest, &name))
		msg.Name = (*byte)(unsafe.Pointer(&name))
	}
	if !o.g.enter(o.s) {
		return 0, 0, 0, nil, nil, false
	}
	var e unix.Errno
	for {
		msg.SetControllen(len(oob))
		if o.write {
			n, e = sendmsgRaw(o.s.fd, &msg, flags)
		} else {
			msg.Name = (*byte)(unsafe.Pointer(&name))
			msg.Namelen = unix.SizeofSockaddrAny
			n, e = recvmsgRaw(o.s.fd, &msg, oob, flags)
		}
		if e != unix.EINTR {
			break
		}
	}
	o.g.leave()
	switch {
	case e == unix.EAGAIN && m == directWait:
		return 0, 0, 0, nil, nil, false
	case e != 0:
		return 0, 0, 0, nil, e, true
	}
	rflags = int(msg.Flags)
	if !o.write {
		oobn = min(int(msg.Controllen), len(oob))
		addr = decodeRaw(&name, int(msg.Namelen))
	}
	return n, oobn, rflags, addr, nil, true
}

// sendmsgRaw wraps sendmsg(2).
func sendmsgRaw(fd int, msg *unix.Msghdr, flags int) (int, unix.Errno) {
	n, _, e := unix.Syscall(unix.SYS_SENDMSG, uintptr(fd), uintptr(unsafe.Pointer(msg)), uintptr(flags))
	return int(n), e
}

// recvmsgRaw wraps recvmsg(2) into msg, whose control buffer is oob, and
// makes received descriptors close-on-exec where the kernel could not:
// no fork may come between the two.
func recvmsgRaw(fd int, msg *unix.Msghdr, oob []byte, flags int) (int, unix.Errno) {
	forkRLock()
	n, _, e := unix.Syscall(unix.SYS_RECVMSG, uintptr(fd), uintptr(unsafe.Pointer(msg)), uintptr(flags))
	if e == 0 {
		cloexecRights(oob[:min(int(msg.Controllen), len(oob))])
	}
	forkRUnlock()
	return int(n), e
}

// do runs one recvmsg or sendmsg over bufs and oob through the poller
// under the socket's mode, to dest on the write side (nil, or an address
// rawDest accepts). It returns the byte count, the control bytes received,
// the message flags, the sender's address (read side; nil when the kernel
// gave none), and the poller's and the system call's errors.
func (o *msgOp) do(once bool, flags int, bufs [][]byte, oob []byte, dest Addr) (n, oobn, rflags int, addr Addr, perr, serr error) {
	o.g.mu.Lock()
	o.prepare(once, flags, bufs, oob, dest)
	if o.write {
		perr = o.s.rc.Write(o.cb)
	} else {
		perr = o.s.rc.Read(o.cb)
	}
	n, oobn, rflags, addr, perr, serr = o.finish(perr)
	o.g.mu.Unlock()
	return n, oobn, rflags, addr, perr, serr
}

// prepare sets o up for one call; the gate is held.
func (o *msgOp) prepare(once bool, flags int, bufs [][]byte, oob []byte, dest Addr) {
	if cap(o.iov) < len(bufs) {
		o.iov = make([]unix.Iovec, 0, len(bufs))
	}
	iov := o.iov[:len(bufs)]
	o.iov = iov[:fillIovecs(iov, bufs)]
	if len(o.iov) > 0 {
		o.msg.Iov = &o.iov[0]
		o.msg.SetIovlen(len(o.iov))
	}
	if len(oob) > 0 {
		o.msg.Control = &oob[0]
	}
	if o.write && dest != nil {
		o.msg.Namelen = uint32(encodeRaw(dest, &o.name))
		o.msg.Name = (*byte)(unsafe.Pointer(&o.name))
	}
	o.oob, o.once, o.flags, o.ctrlLen, o.n, o.err = oob, once, flags, len(oob), 0, nil
}

// finish collects the results of the call o holds, given the poller's
// error, and resets o; the gate stays held.
func (o *msgOp) finish(perr error) (n, oobn, rflags int, addr Addr, _, serr error) {
	n, serr = o.n, o.err
	if perr == nil && serr == nil {
		rflags = int(o.msg.Flags)
		if !o.write {
			oobn = min(int(o.msg.Controllen), len(o.oob))
			addr = decodeRaw(&o.name, int(o.msg.Namelen))
		}
	}
	o.reset()
	return n, oobn, rflags, addr, perr, serr
}

// reset drops what o holds of a call: no reference to the caller's
// memory is kept.
func (o *msgOp) reset() {
	for i := range o.iov {
		o.iov[i].Base = nil
	}
	o.iov = o.iov[:0]
	o.msg, o.oob = unix.Msghdr{}, nil
}

// run is the poller callback: one recvmsg or sendmsg, EINTR retried. It
// reports true when the call is over and false to wait for readiness.
func (o *msgOp) run(fd uintptr) bool {
	for {
		o.msg.SetControllen(o.ctrlLen)
		var n int
		var e unix.Errno
		if o.write {
			n, e = sendmsgRaw(int(fd), &o.msg, o.flags)
		} else {
			o.msg.Name = (*byte)(unsafe.Pointer(&o.name))
			o.msg.Namelen = unix.SizeofSockaddrAny
			n, e = recvmsgRaw(int(fd), &o.msg, o.oob, o.flags)
		}
		switch {
		case e == unix.EINTR:
			continue
		case e == unix.EAGAIN && !o.once:
			return false
		case e != 0:
			o.err = e
			return true
		}
		o.n = n
		return true
	}
}

// fillIovecs points iov at the non-empty buffers of bufs, in order, and
// returns how many it filled; iov has room for len(bufs).
func fillIovecs(iov []unix.Iovec, bufs [][]byte) int {
	k := 0
	for _, b := range bufs {
		if len(b) > 0 {
			iov[k].Base = &b[0]
			iov[k].SetLen(len(b))
			k++
		}
	}
	return k
}
