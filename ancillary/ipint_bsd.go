//go:build dragonfly || netbsd || openbsd

package ancillary

import "golang.org/x/sys/unix"

// These BSDs deliver the IPv4 TTL under IP_RECVTTL and no TOS message.
const (
	recvTOSSupported = false
	ipRecvTOS        = -1
	ipRecvTTL        = unix.IP_RECVTTL
)
