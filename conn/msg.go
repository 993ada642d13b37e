//go:build unix

package conn

import (
	"golang.org/x/sys/unix"
)

// RecvMsg wraps recvmsg(2) into fresh buffers: up to bufsize data bytes,
// up to ancbufsize bytes of raw control messages, the message flags and the
// sender's address.
func (s *Socket) RecvMsg(bufsize, ancbufsize int, flags ...MsgFlag) (data, anc []byte, msgFlags MsgFlag, addr Addr, err error) {
	if bufsize < 0 || ancbufsize < 0 || bufsize > maxBufsize || ancbufsize > maxBufsize {
		return nil, nil, 0, nil, valueErr("recvmsg", "buffer size out of range")
	}
	data = make([]byte, bufsize)
	oob := make([]byte, ancbufsize)
	n, oobn, msgFlags, addr, err := s.RecvMsgInto([][]byte{data}, oob, flags...)
	return data[:n], oob[:oobn], msgFlags, addr, err
}

// RecvMsgInto wraps one recvmsg(2) whose iovecs are the caller's buffers,
// filled in order and in place (zero-length ones take nothing); control
// messages land raw in oob. It returns the data byte count, the control
// byte count, the message flags (MSG_TRUNC, MSG_CTRUNC, ...) and the
// sender's address. More than 1024 buffers fail with EMSGSIZE. Nothing is
// kept after the call returns.
func (s *Socket) RecvMsgInto(buffers [][]byte, oob []byte, flags ...MsgFlag) (n, oobn int, msgFlags MsgFlag, addr Addr, err error) {
	if len(buffers) > maxIovecs {
		return 0, 0, 0, nil, s.wrapErr("recvmsg_into", "recvmsg", nil, unix.EMSGSIZE, nil)
	}
	fl := orFlags(flags)
	once, err := s.begin("recvmsg_into", false, fl)
	if err != nil {
		return 0, 0, 0, nil, err
	}
	var rf int
	var sa unix.Sockaddr
	perr, serr := s.doRead(once, func(fd int) (err error) {
		n, oobn, rf, sa, err = unix.RecvmsgBuffers(fd, buffers, oob, int(fl))
		return err
	})
	if err := s.wrapErr("recvmsg_into", "recvmsg", perr, serr, nil); err != nil {
		return 0, 0, 0, nil, err
	}
	return n, oobn, MsgFlag(rf), decodeAddr(sa), nil
}

// SendMsg wraps one sendmsg(2) gathering the caller's buffers without
// copying them, with raw control messages oob and, for unconnected
// sockets, a destination (nil when connected). It returns the bytes sent.
// More than 1024 buffers fail with EMSGSIZE. With control data and no data
// on a stream socket one zero byte is sent, as the kernel needs data to
// carry control messages.
func (s *Socket) SendMsg(buffers [][]byte, oob []byte, addr Addr, flags ...MsgFlag) (int, error) {
	var sa unix.Sockaddr
	if addr != nil {
		var err error
		if sa, err = s.encodeAddr(addr); err != nil {
			return 0, &OpError{Op: "sendmsg", Family: s.family, Addr: addr, Err: err}
		}
	}
	if len(buffers) > maxIovecs {
		return 0, s.wrapErr("sendmsg", "sendmsg", nil, unix.EMSGSIZE, addr)
	}
	fl := orFlags(flags)
	once, err := s.begin("sendmsg", true, fl)
	if err != nil {
		return 0, err
	}
	raw := flowSockaddr(addr, sa)
	var n int
	perr, serr := s.doWrite(once, func(fd int) (err error) {
		if raw != nil {
			n, err = rawSendmsg(fd, buffers, oob, raw, int(fl)|sendFlags)
		} else {
			n, err = unix.SendmsgBuffers(fd, buffers, oob, sa, int(fl)|sendFlags)
		}
		return err
	})
	if err := s.wrapErr("sendmsg", "sendmsg", perr, serr, addr); err != nil {
		return 0, err
	}
	return n, nil
}

// maxIovecs is IOV_MAX (1024 on Linux and the BSDs).
const maxIovecs = 1024
