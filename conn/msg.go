//go:build unix

package conn

import (
	"slices"

	"golang.org/x/sys/unix"
)

// maxIovecs is IOV_MAX (1024 on Linux and the BSDs).
const maxIovecs = 1024

// RecvMsg wraps recvmsg(2) into fresh buffers: up to bufsize data bytes,
// up to ancbufsize bytes of raw control messages, the message flags and the
// sender's address. Control data is handled as RecvMsgInto says.
func (s *Socket) RecvMsg(bufsize, ancbufsize int, flags ...MsgFlag) (data, anc []byte, msgFlags MsgFlag, addr Addr, err error) {
	if bufsize < 0 || ancbufsize < 0 || bufsize > maxBufsize || ancbufsize > maxBufsize {
		return nil, nil, 0, nil, valueErr("recvmsg", "buffer size out of range")
	}
	data = make([]byte, bufsize)
	oob := make([]byte, ancbufsize)
	n, oobn, msgFlags, addr, err := s.RecvMsgInto([][]byte{data}, oob, flags...)
	// Cut to the buffer: with MSG_TRUNC n is the datagram's whole length,
	// and CPython's recvmsg keeps bufsize bytes, MSG_TRUNC in msgFlags.
	return data[:min(n, len(data))], oob[:oobn], msgFlags, addr, err
}

// RecvMsgInto wraps one recvmsg(2) whose iovecs are the caller's buffers,
// filled in order and in place (zero-length ones take nothing); control
// messages land raw in oob, to be read with package ancillary. It returns
// the data byte count, the control byte count, the message flags
// (MSG_TRUNC, MSG_CTRUNC, ...) and the sender's address (nil for a
// connected stream). More than 1024 buffers (IOV_MAX) fail with a
// *TooManyBuffersError, which matches EMSGSIZE. Nothing is
// kept after the call returns, and on AF_INET, AF_INET6 and AF_UNIX sockets
// a call allocates nothing unless it returns an address.
//
// Descriptors passed with SCM_RIGHTS are open in this process and owned by
// the caller once the call returns; they are close-on-exec (MSG_CMSG_CLOEXEC
// where the system has it). When the control data did not fit, MSG_CTRUNC is
// set in the flags, and the descriptors that reached this process but not
// oob[:oobn] are closed: a final message cut short by the buffer (as macOS
// leaves it) is dropped from oobn and the fds it holds are closed. Size oob
// with ancillary.Space for the largest message expected.
func (s *Socket) RecvMsgInto(buffers [][]byte, oob []byte, flags ...MsgFlag) (n, oobn int, msgFlags MsgFlag, addr Addr, err error) {
	if len(buffers) > maxIovecs {
		return 0, 0, 0, nil, &OpError{Op: "recvmsg_into", Family: s.family, Err: &TooManyBuffersError{N: len(buffers), Max: maxIovecs}}
	}
	fl := orFlags(flags)
	var rf int
	var perr, serr error
	raw := rawFamily(s.family)
	handled := false
	if raw {
		n, oobn, rf, addr, serr, handled = s.rmsg.direct(s.directMode(false, fl), int(fl)|recvFlags, buffers, oob, nil)
	}
	if !handled {
		var once bool
		if once, err = s.begin("recvmsg_into", false, fl); err != nil {
			return 0, 0, 0, nil, err
		}
		if raw {
			n, oobn, rf, addr, perr, serr = s.rmsg.do(once, int(fl)|recvFlags, buffers, oob, nil)
		} else {
			n, oobn, rf, addr, perr, serr = s.recvmsgSlow(once, int(fl)|recvFlags, buffers, oob)
		}
	}
	if err := s.wrapErr("recvmsg_into", "recvmsg", perr, serr, nil); err != nil {
		return 0, 0, 0, nil, err
	}
	if int(fl)&recvFlags == 0 {
		rf &^= recvFlags // Linux echoes it; show only what the caller asked
	}
	return n, settleRights(oob[:oobn], rf), MsgFlag(rf), addr, nil
}

// SendMsg wraps one sendmsg(2) gathering the caller's buffers without
// copying them, with raw control messages oob (built with package
// ancillary) and, for unconnected sockets, a destination (nil when
// connected). It returns the bytes sent, which on a stream socket may be
// fewer than the buffers hold. More than 1024 buffers (IOV_MAX) fail with
// a *TooManyBuffersError, which matches EMSGSIZE. No data bytes go to the
// kernel as they are, as CPython passes them, and no byte is ever added:
// a datagram or seqpacket socket sends an empty message with the control
// data, while a stream socket sends nothing, and Linux drops the control
// data and returns 0; send at least one byte to carry descriptors on a
// stream. (To a PacketAddr, NetlinkAddr, VSockAddr, CANAddr or ALGAddr,
// which go through x/sys, control data without data bytes on a socket
// that is not SOCK_DGRAM is refused with a *ValueError, as x/sys would add
// a byte.) Nothing is kept after the call returns. Without a destination,
// or to an Inet4Addr or Inet6Addr (a zone given by ScopeID), a call
// allocates nothing; other addresses allocate.
func (s *Socket) SendMsg(buffers [][]byte, oob []byte, addr Addr, flags ...MsgFlag) (int, error) {
	fast := addr == nil || rawDest(addr, s.family)
	var sa unix.Sockaddr
	if !fast {
		var err error
		if sa, err = s.encodeAddr(addr); err != nil {
			return 0, &OpError{Op: "sendmsg", Family: s.family, Addr: addr, Err: err}
		}
	}
	if len(buffers) > maxIovecs {
		return 0, &OpError{Op: "sendmsg", Family: s.family, Addr: addr, Err: &TooManyBuffersError{N: len(buffers), Max: maxIovecs}}
	}
	fl := orFlags(flags)
	var n int
	var perr, serr error
	handled := false
	if fast {
		n, _, _, _, serr, handled = s.wmsg.direct(s.directMode(true, fl), int(fl)|sendFlags, buffers, oob, addr)
	}
	if !handled {
		once, err := s.begin("sendmsg", true, fl)
		if err != nil {
			return 0, err
		}
		if fast {
			n, _, _, _, perr, serr = s.wmsg.do(once, int(fl)|sendFlags, buffers, oob, addr)
		} else {
			n, perr, serr = s.sendmsgTo(once, int(fl)|sendFlags, buffers, oob, addr, sa)
		}
	}
	if err := s.wrapErr("sendmsg", "sendmsg", perr, serr, addr); err != nil {
		return 0, err
	}
	return n, nil
}

// recvmsgSlow is RecvMsgInto through x/sys, for the families decodeRaw
// does not read; it allocates.
func (s *Socket) recvmsgSlow(once bool, flags int, buffers [][]byte, oob []byte) (n, oobn, rf int, addr Addr, perr, serr error) {
	var sa unix.Sockaddr
	perr, serr = s.doRead(once, func(fd int) (err error) {
		n, oobn, rf, sa, err = unix.RecvmsgBuffers(fd, buffers, oob, flags)
		return err
	})
	return n, oobn, rf, decodeAddr(sa), perr, serr
}

// sendmsgTo is SendMsg with a destination, encoded here for the inet and
// unix families and by x/sys for the others; it allocates.
func (s *Socket) sendmsgTo(once bool, flags int, buffers [][]byte, oob []byte, addr Addr, sa unix.Sockaddr) (n int, perr, serr error) {
	raw := rawSockaddr(addr, sa)
	if raw == nil {
		raw = rawInet(sa)
	}
	if raw == nil && len(oob) > 0 && s.typ != SOCK_DGRAM && !slices.ContainsFunc(buffers, nonEmpty) {
		// x/sys would send a byte the caller never wrote.
		return 0, nil, valueErr("sendmsg", "control data without data bytes to an address x/sys encodes")
	}
	perr, serr = s.doWrite(once, func(fd int) (err error) {
		if raw != nil {
			n, err = rawSendmsg(fd, buffers, oob, raw, flags)
		} else {
			n, err = unix.SendmsgBuffers(fd, buffers, oob, sa, flags)
		}
		return err
	})
	return n, perr, serr
}

func nonEmpty(b []byte) bool { return len(b) > 0 }
