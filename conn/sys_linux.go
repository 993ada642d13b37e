package conn

import (
	"os"
	"unsafe"

	"github.com/sockloop/sockloop/sockopt"
	"golang.org/x/sys/unix"
)

// typeFlags are the bits of a type that are flags, not a kind.
const typeFlags = SOCK_NONBLOCK | SOCK_CLOEXEC

// sendFlags are added to every send: no SIGPIPE on a reset peer.
const sendFlags = unix.MSG_NOSIGNAL

// sysSocket wraps socket(2), opening the descriptor non-blocking and
// close-on-exec in one call.
func sysSocket(family, typ, proto int) (int, error) {
	return unix.Socket(family, typ|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
}

// sysSocketpair wraps socketpair(2) like sysSocket.
func sysSocketpair(family, typ, proto int) ([2]int, error) {
	return unix.Socketpair(family, typ|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
}

// sysAccept wraps accept4(2), returning a non-blocking close-on-exec
// descriptor and the peer's address, decoded as sysName does for the
// families decodeRaw reads. x/sys decodes only the families it knows and
// closes the new descriptor otherwise (AF_ALG), so other families accept
// without an address and ask getpeername(2) for it.
func sysAccept(fd int, family Family) (int, Addr, error) {
	const flags = unix.SOCK_NONBLOCK | unix.SOCK_CLOEXEC
	if rawFamily(family) {
		var rsa unix.RawSockaddrAny
		n := uint32(unix.SizeofSockaddrAny)
		nfd, _, e := unix.Syscall6(unix.SYS_ACCEPT4, uintptr(fd), uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&n)), flags, 0, 0)
		if e != 0 {
			return -1, nil, e
		}
		return int(nfd), decodeRaw(&rsa, int(n)), nil
	}
	nfd, _, e := unix.Syscall6(unix.SYS_ACCEPT4, uintptr(fd), 0, 0, flags, 0, 0)
	if e != 0 {
		return -1, nil, e
	}
	peer, _ := sysName(int(nfd), family, true)
	return int(nfd), peer, nil
}

// sysDetect reads the family, type and protocol of a socket descriptor;
// its errors are *os.SyscallError values.
func sysDetect(fd int) (Family, Type, Proto, error) {
	f, err := sockopt.Domain(fd)
	if err != nil {
		return 0, 0, 0, optCause(err)
	}
	t, err := sockopt.Type(fd)
	if err != nil {
		return 0, 0, 0, optCause(err)
	}
	p, err := sockopt.Protocol(fd)
	if err != nil {
		return 0, 0, 0, optCause(err)
	}
	return Family(f), Type(t), Proto(p), nil
}

const nonblockFlag = SOCK_NONBLOCK

const eafnosupport = unix.EAFNOSUPPORT

// SetHostName wraps sethostname(2) (Linux only); it needs CAP_SYS_ADMIN.
func SetHostName(name string) error {
	if err := unix.Sethostname([]byte(name)); err != nil {
		return &OpError{Op: "sethostname", Err: os.NewSyscallError("sethostname", err)}
	}
	return nil
}

func closeFD(fd int) error {
	if err := unix.Close(fd); err != nil {
		return &OpError{Op: "close", Err: os.NewSyscallError("close", err)}
	}
	return nil
}

func setFamily6(raw *unix.RawSockaddrInet6) { raw.Family = unix.AF_INET6 }

func setFamily4(raw *unix.RawSockaddrInet4) { raw.Family = unix.AF_INET }

// setFamilyUnix sets the family of a sockaddr_un whose sun_path holds n
// bytes and returns its length.
func setFamilyUnix(raw *unix.RawSockaddrUnix, n int) uint32 {
	raw.Family = unix.AF_UNIX
	return uint32(2 + n)
}

// recvNoAddr wraps recvfrom(2) without asking for the sender's address,
// which x/sys would decode (and allocate) on every call.
func recvNoAddr(fd int, p []byte, flags int) (int, error) {
	var ptr unsafe.Pointer
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	n, _, e := unix.Syscall6(unix.SYS_RECVFROM, uintptr(fd), uintptr(ptr), uintptr(len(p)), uintptr(flags), 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}
