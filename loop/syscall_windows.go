package loop

import (
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Winsock calls that golang.org/x/sys/windows does not wrap, and the
// non-overlapped reads and writes of the readiness path.

const fionbio = 0x8004667e // FIONBIO: _IOW('f', 126, u_long)

var (
	modws2_32       = windows.NewLazySystemDLL("ws2_32.dll")
	procAccept      = modws2_32.NewProc("accept")
	procIoctlsocket = modws2_32.NewProc("ioctlsocket")
)

// ioctlNonblock turns FIONBIO on: calls made without an OVERLAPPED fail
// with WSAEWOULDBLOCK instead of waiting; overlapped ones still pend.
func ioctlNonblock(h windows.Handle) error {
	on := uint32(1)
	r, _, e := syscall.SyscallN(procIoctlsocket.Addr(), uintptr(h), fionbio, uintptr(unsafe.Pointer(&on)))
	if r != 0 {
		return os.NewSyscallError("ioctlsocket", errnoOr(e))
	}
	return nil
}

func wsaAccept(h windows.Handle, rsa *windows.RawSockaddrAny) (windows.Handle, error) {
	n := int32(unsafe.Sizeof(*rsa))
	r, _, e := syscall.SyscallN(procAccept.Addr(), uintptr(h), uintptr(unsafe.Pointer(rsa)), uintptr(unsafe.Pointer(&n)))
	if windows.Handle(r) == windows.InvalidHandle {
		return windows.InvalidHandle, errnoOr(e)
	}
	return windows.Handle(r), nil
}

// errnoOr returns e, or WSAEINVAL when a failed call left no error code.
func errnoOr(e syscall.Errno) error {
	if e == 0 {
		return windows.WSAEINVAL
	}
	return e
}

// sysRead is a non-overlapped WSARecv; in FIONBIO mode it fails with
// WSAEWOULDBLOCK when nothing is waiting.
func sysRead(fd int, b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	buf := windows.WSABuf{Len: uint32(len(b)), Buf: &b[0]}
	var n, flags uint32
	if err := windows.WSARecv(handle(fd), &buf, 1, &n, &flags, nil, nil); err != nil {
		if err == windows.WSAESHUTDOWN {
			return 0, nil // our side shut down reading: the end of input
		}
		return 0, err
	}
	return int(n), nil
}

// sysWritev gathers bufs into one non-overlapped WSASend; iov is scratch
// owned by the loop. Control data does not exist on Windows sockets.
func sysWritev(fd int, bufs [][]byte, oob []byte, iov []iovec) (int, error) {
	if len(oob) > 0 {
		return 0, errUnsupported
	}
	n := 0
	for _, b := range bufs {
		if n == len(iov) {
			break
		}
		iov[n] = windows.WSABuf{Len: uint32(len(b)), Buf: &b[0]}
		n++
	}
	if n == 0 {
		return 0, nil
	}
	var sent uint32
	err := windows.WSASend(handle(fd), &iov[0], uint32(n), &sent, 0, nil, nil)
	clear(iov[:n]) // do not keep the caller's memory reachable
	if err != nil {
		return 0, err
	}
	return int(sent), nil
}

// sysSendfile emulates sendfile: Windows' TransmitFile wants an overlapped
// file handle, which an *os.File is not. It reads the file at *off into
// scratch and sends what the socket takes; the next call reads again from
// the advanced offset, so nothing unsent is kept.
func sysSendfile(fd, infd int, off *int64, count int, scratch []byte) (int, error) {
	b := scratch[:min(count, len(scratch))]
	ov := windows.Overlapped{Offset: uint32(*off), OffsetHigh: uint32(*off >> 32)}
	var got uint32
	if err := windows.ReadFile(windows.Handle(infd), b, &got, &ov); err != nil && err != windows.ERROR_HANDLE_EOF {
		return 0, err
	}
	if got == 0 {
		return 0, nil
	}
	w, err := sysWritev(fd, [][]byte{b[:got]}, nil, make([]iovec, 1))
	*off += int64(w)
	return w, err
}
