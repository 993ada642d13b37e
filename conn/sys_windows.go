package conn

import (
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Winsock and kernel32 pieces that golang.org/x/sys/windows does not wrap
// (its Accept is a stub) or does not name.

const (
	fionbio          = 0x8004667e // FIONBIO: _IOW('f', 126, u_long)
	soProtocolInfoW  = 0x2005     // SO_PROTOCOL_INFOW
	fromProtocolInfo = -1         // FROM_PROTOCOL_INFO
	wsaFlags         = windows.WSA_FLAG_OVERLAPPED | windows.WSA_FLAG_NO_HANDLE_INHERIT
)

var (
	modws2_32   = windows.NewLazySystemDLL("ws2_32.dll")
	modkernel32 = windows.NewLazySystemDLL("kernel32.dll")

	procAccept               = modws2_32.NewProc("accept")
	procGetHandleInformation = modkernel32.NewProc("GetHandleInformation")
)

// sysAccept wraps accept(): on the non-blocking listener it returns at
// once, with WSAEWOULDBLOCK when no connection waits.
func sysAccept(h windows.Handle) (windows.Handle, windows.Sockaddr, error) {
	var rsa windows.RawSockaddrAny
	n := int32(unsafe.Sizeof(rsa))
	r, _, e := syscall.SyscallN(procAccept.Addr(), uintptr(h), uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&n)))
	nh := windows.Handle(r)
	if nh == windows.InvalidHandle {
		return nh, nil, errnoOr(e)
	}
	sa, _ := rsa.Sockaddr()
	return nh, sa, nil
}

func getHandleInformation(h windows.Handle) (uint32, error) {
	var flags uint32
	r, _, e := syscall.SyscallN(procGetHandleInformation.Addr(), uintptr(h), uintptr(unsafe.Pointer(&flags)))
	if r == 0 {
		return 0, errnoOr(e)
	}
	return flags, nil
}

// errnoOr returns e, or EINVAL where a failing call left no error code.
func errnoOr(e syscall.Errno) error {
	if e == 0 {
		return syscall.EINVAL
	}
	return e
}

// setNonblock switches FIONBIO: calls without an OVERLAPPED then fail with
// WSAEWOULDBLOCK instead of waiting; overlapped calls are not affected.
func setNonblock(h windows.Handle, on bool) error {
	var v uint32
	if on {
		v = 1
	}
	var n uint32
	return windows.WSAIoctl(h, fionbio, (*byte)(unsafe.Pointer(&v)), 4, nil, 0, &n, nil, 0)
}

// sysSocket opens an overlapped, non-inheritable, non-blocking socket.
func sysSocket(family, typ, proto int, info *windows.WSAProtocolInfo) (windows.Handle, error) {
	h, err := windows.WSASocket(int32(family), int32(typ), int32(proto), info, 0, wsaFlags)
	if err != nil {
		return windows.InvalidHandle, err
	}
	if err := setNonblock(h, true); err != nil {
		windows.Closesocket(h)
		return windows.InvalidHandle, err
	}
	return h, nil
}

// protocolInfo reads the socket's WSAPROTOCOL_INFOW (SO_PROTOCOL_INFOW).
func protocolInfo(h windows.Handle) (*windows.WSAProtocolInfo, error) {
	var info windows.WSAProtocolInfo
	n := int32(unsafe.Sizeof(info))
	if err := windows.Getsockopt(h, windows.SOL_SOCKET, soProtocolInfoW, (*byte)(unsafe.Pointer(&info)), &n); err != nil {
		return nil, os.NewSyscallError("getsockopt", err)
	}
	return &info, nil
}

func closeFD(fd int) error {
	if err := windows.Closesocket(windows.Handle(fd)); err != nil {
		return &OpError{Op: "close", Err: os.NewSyscallError("closesocket", err)}
	}
	return nil
}
