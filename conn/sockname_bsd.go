//go:build unix && !linux

package conn

import "golang.org/x/sys/unix"

// sysName wraps getsockname(2), or getpeername(2) if peer; x/sys reads
// the length the BSDs keep in the address itself.
func sysName(fd int, _ Family, peer bool) (Addr, error) {
	get := unix.Getsockname
	if peer {
		get = unix.Getpeername
	}
	sa, err := get(fd)
	return decodeAddr(sa), err
}

// recvFrom wraps recvfrom(2) into p; the address is nil when the kernel
// gave none.
func recvFrom(fd int, p []byte, flags int, _ Family) (int, Addr, error) {
	n, sa, err := unix.Recvfrom(fd, p, flags)
	return n, decodeAddr(sa), err
}
