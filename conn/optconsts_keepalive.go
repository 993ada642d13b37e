//go:build unix && !openbsd

package conn

import "golang.org/x/sys/unix"

// Keep-alive tuning options. OpenBSD has neither: its keep-alive timing is
// system-wide (sysctl net.inet.tcp.keepintvl), so the names are not offered
// there, as CPython omits them.
const (
	TCP_KEEPINTVL TCPOpt = unix.TCP_KEEPINTVL
	TCP_KEEPCNT   TCPOpt = unix.TCP_KEEPCNT
)

func init() {
	tcpOptNames[TCP_KEEPINTVL] = "TCP_KEEPINTVL"
	tcpOptNames[TCP_KEEPCNT] = "TCP_KEEPCNT"
}
