package ancillary

import "golang.org/x/sys/unix"

// macOS delivers the IPv4 TOS and TTL under the IP_RECV* names.
const (
	recvTOSSupported = true
	ipRecvTOS        = unix.IP_RECVTOS
	ipRecvTTL        = unix.IP_RECVTTL
)
