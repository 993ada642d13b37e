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
