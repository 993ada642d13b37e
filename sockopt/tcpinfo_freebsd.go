package sockopt

// GetTCPInfo reads TCP_INFO from a TCP socket. x/sys/unix has no FreeBSD
// tcp_info layout yet, so it reports errors.ErrUnsupported there; read the
// raw record with GetBytes(fd, unix.IPPROTO_TCP, unix.TCP_INFO, 256).
func GetTCPInfo(fd int) (*TCPInfo, error) { return nil, unsupported("TCP_INFO") }
