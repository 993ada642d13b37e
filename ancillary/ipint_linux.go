package ancillary

import "golang.org/x/sys/unix"

// Linux delivers the IPv4 TOS and TTL under their option names.
const (
	recvTOSSupported = true
	ipRecvTOS        = unix.IP_TOS
	ipRecvTTL        = unix.IP_TTL
)

// AppendTOS appends an IP_TOS message to b, setting the type-of-service
// byte of the IPv4 datagram it is sent with, and returns the extended
// slice; it allocates only when b lacks Space(4) bytes of capacity.
// Linux only.
func AppendTOS(b []byte, tos uint8) []byte {
	return appendInt32(b, unix.IPPROTO_IP, unix.IP_TOS, int32(tos))
}

// AppendTTL appends an IP_TTL message to b, setting the time to live of the
// IPv4 datagram it is sent with, and returns the extended slice; it
// allocates only when b lacks Space(4) bytes of capacity. The kernel
// rejects 0 with EINVAL. Linux only.
func AppendTTL(b []byte, ttl uint8) []byte {
	return appendInt32(b, unix.IPPROTO_IP, unix.IP_TTL, int32(ttl))
}
