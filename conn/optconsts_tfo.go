//go:build linux || darwin || freebsd

package conn

import "golang.org/x/sys/unix"

// IP_RECVTOS and TCP_FASTOPEN exist on Linux, macOS and FreeBSD only;
// NetBSD, OpenBSD and DragonFly lack both, so the names are not offered
// there, as CPython omits them.
const (
	IP_RECVTOS   IPOpt  = unix.IP_RECVTOS
	TCP_FASTOPEN TCPOpt = unix.TCP_FASTOPEN
)

func init() {
	ipOptNames[IP_RECVTOS] = "IP_RECVTOS"
	tcpOptNames[TCP_FASTOPEN] = "TCP_FASTOPEN"
}
