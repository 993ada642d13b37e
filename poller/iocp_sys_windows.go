package poller

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Winsock and kernel32 pieces that golang.org/x/sys/windows does not wrap.

const (
	soAcceptConn = 0x0002 // SO_ACCEPTCONN
	soType       = 0x1008 // SO_TYPE

	// WSAPOLLFD events (winsock2.h). POLLHUP, POLLERR and POLLNVAL are only
	// ever returned; asking for them makes WSAPoll fail.
	pollErr    = 0x0001
	pollHup    = 0x0002
	pollNval   = 0x0004
	pollWrNorm = 0x0010
	pollRdNorm = 0x0100
)

// overlappedEntry is OVERLAPPED_ENTRY. The OVERLAPPED address is kept as a
// uintptr: the kernel writes it, and the op it points to is kept alive by the
// poller's ops map, which is also how it is found again.
type overlappedEntry struct {
	key      uintptr
	ov       uintptr
	internal uintptr
	qty      uint32
}

// wsaPollFd is WSAPOLLFD.
type wsaPollFd struct {
	fd      uintptr
	events  int16
	revents int16
}

var (
	modkernel32 = windows.NewLazySystemDLL("kernel32.dll")
	modws2_32   = windows.NewLazySystemDLL("ws2_32.dll")

	procGetQueuedCompletionStatusEx = modkernel32.NewProc("GetQueuedCompletionStatusEx")
	procWSAPoll                     = modws2_32.NewProc("WSAPoll")
	procIoctlsocket                 = modws2_32.NewProc("ioctlsocket")
)

const fionbio = 0x8004667e // FIONBIO: _IOW('f', 126, u_long)

// ioctlNonblock turns FIONBIO on: calls without an OVERLAPPED fail with
// WSAEWOULDBLOCK instead of waiting; overlapped ones still pend.
func ioctlNonblock(h windows.Handle) error {
	on := uint32(1)
	r, _, e := syscall.SyscallN(procIoctlsocket.Addr(), uintptr(h), fionbio, uintptr(unsafe.Pointer(&on)))
	if r != 0 {
		if e == 0 {
			e = syscall.EINVAL
		}
		return e
	}
	return nil
}

func getQueuedCompletionStatusEx(port windows.Handle, entries *overlappedEntry, count uint32, removed *uint32, ms uint32, alertable bool) error {
	var alert uintptr
	if alertable {
		alert = 1
	}
	if err := procGetQueuedCompletionStatusEx.Find(); err != nil {
		return err
	}
	r, _, e := syscall.SyscallN(procGetQueuedCompletionStatusEx.Addr(), uintptr(port),
		uintptr(unsafe.Pointer(entries)), uintptr(count), uintptr(unsafe.Pointer(removed)),
		uintptr(ms), alert)
	if r == 0 {
		if e == 0 {
			return syscall.EINVAL
		}
		return e
	}
	return nil
}

func wsaPoll(fds *wsaPollFd, n uint32, timeoutMs int32) (int, error) {
	if err := procWSAPoll.Find(); err != nil {
		return 0, err
	}
	r, _, e := syscall.SyscallN(procWSAPoll.Addr(), uintptr(unsafe.Pointer(fds)), uintptr(n), uintptr(timeoutMs))
	if int32(r) < 0 {
		if e == 0 {
			return 0, syscall.EINVAL
		}
		return 0, e
	}
	return int(int32(r)), nil
}
