//go:build dragonfly || freebsd || netbsd || openbsd

package sockopt

// GetTCPInfo reads TCP_INFO from a TCP socket. x/sys/unix has no tcp_info
// layout for these systems yet, so it reports errors.ErrUnsupported; read
// the raw record with GetBytes(fd, unix.IPPROTO_TCP, unix.TCP_INFO, 256)
// where the system has it.
func GetTCPInfo(fd int) (*TCPInfo, error) { return nil, unsupported("TCP_INFO") }
