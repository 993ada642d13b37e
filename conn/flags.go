//go:build unix || windows

package conn

// maxBufsize bounds the buffers Recv, RecvFrom and RecvMsg allocate.
const maxBufsize = 1<<31 - 1

// orFlags ORs the optional flags of a send or receive call together.
func orFlags(flags []MsgFlag) MsgFlag {
	var f MsgFlag
	for _, x := range flags {
		f |= x
	}
	return f
}

// received is buf cut to the n bytes a receive reported. With MSG_TRUNC a
// datagram socket reports the datagram's whole length, which may pass
// len(buf): the result then has that length, as CPython's recv and recvfrom
// do, the bytes past len(buf) zero.
func received(buf []byte, n int) []byte {
	if n > len(buf) {
		return append(buf, make([]byte, n-len(buf))...)
	}
	return buf[:n]
}
