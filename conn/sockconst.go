//go:build unix

package conn

import "golang.org/x/sys/unix"

// Option levels and names used inside the package.
const (
	sol_SOCKET   = unix.SOL_SOCKET
	so_REUSEADDR = unix.SO_REUSEADDR
	ipproto_IPV6 = unix.IPPROTO_IPV6
	ipv6_V6ONLY  = unix.IPV6_V6ONLY
)
