package conn

// Winsock has no recvmsg or sendmsg for ordinary sockets (WSARecvMsg exists
// for datagrams only, through an extension pointer) and no SCM_RIGHTS;
// CPython's socket objects lack these calls on Windows, so here they fail
// with an *UnsupportedError, which matches errors.ErrUnsupported.

func (s *Socket) unsupported(op string) error {
	return &OpError{Op: op, Family: s.family, Err: &UnsupportedError{Op: op, OS: "windows"}}
}

// RecvMsg is not available on Windows; it returns an error matching
// errors.ErrUnsupported.
func (s *Socket) RecvMsg(bufsize, ancbufsize int, flags ...MsgFlag) (data, anc []byte, msgFlags MsgFlag, addr Addr, err error) {
	return nil, nil, 0, nil, s.unsupported("recvmsg")
}

// RecvMsgInto is not available on Windows; it returns an error matching
// errors.ErrUnsupported.
func (s *Socket) RecvMsgInto(buffers [][]byte, oob []byte, flags ...MsgFlag) (n, oobn int, msgFlags MsgFlag, addr Addr, err error) {
	return 0, 0, 0, nil, s.unsupported("recvmsg_into")
}

// SendMsg is not available on Windows; it returns an error matching
// errors.ErrUnsupported.
func (s *Socket) SendMsg(buffers [][]byte, oob []byte, addr Addr, flags ...MsgFlag) (int, error) {
	return 0, s.unsupported("sendmsg")
}

// SendFDs is not available on Windows (no SCM_RIGHTS; see Share); it
// returns an error matching errors.ErrUnsupported.
func (s *Socket) SendFDs(buffers [][]byte, fds []int, addr Addr, flags ...MsgFlag) (int, error) {
	return 0, s.unsupported("send_fds")
}

// RecvFDs is not available on Windows (no SCM_RIGHTS; see FromShare); it
// returns an error matching errors.ErrUnsupported.
func (s *Socket) RecvFDs(bufsize, maxfds int, flags ...MsgFlag) (data []byte, fds []int, msgFlags MsgFlag, addr Addr, err error) {
	return nil, nil, 0, nil, s.unsupported("recv_fds")
}
