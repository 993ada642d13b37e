package conn

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// sysName wraps getsockname(2), or getpeername(2) if peer. Addresses of
// the families decodeRaw reads are decoded with the length the kernel
// gave, which x/sys drops: an unnamed AF_UNIX socket (length 2) then reads
// as unnamed, not as an empty abstract name, and an abstract name keeps
// every byte.
func sysName(fd int, family Family, peer bool) (Addr, error) {
	if !rawFamily(family) {
		get := unix.Getsockname
		if peer {
			get = unix.Getpeername
		}
		sa, err := get(fd)
		return decodeAddr(sa), err
	}
	trap := uintptr(unix.SYS_GETSOCKNAME)
	if peer {
		trap = unix.SYS_GETPEERNAME
	}
	var rsa unix.RawSockaddrAny
	n := uint32(unix.SizeofSockaddrAny)
	_, _, e := unix.RawSyscall(trap, uintptr(fd), uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&n)))
	if e != 0 {
		return nil, e
	}
	return decodeRaw(&rsa, int(n)), nil
}

// recvFrom wraps recvfrom(2) into p and decodes the sender as sysName
// does; the address is nil when the kernel gave none (a connected stream,
// an unnamed AF_UNIX sender), as CPython's None.
func recvFrom(fd int, p []byte, flags int, family Family) (int, Addr, error) {
	if !rawFamily(family) {
		n, sa, err := unix.Recvfrom(fd, p, flags)
		return n, decodeAddr(sa), err
	}
	var ptr unsafe.Pointer
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	var rsa unix.RawSockaddrAny
	alen := uint32(unix.SizeofSockaddrAny)
	n, _, e := unix.Syscall6(unix.SYS_RECVFROM, uintptr(fd), uintptr(ptr), uintptr(len(p)), uintptr(flags),
		uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&alen)))
	if e != 0 {
		return 0, nil, e
	}
	return int(n), decodeRaw(&rsa, int(alen)), nil
}
