package loop

import (
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/windows"
)

// The socket calls the loop's portable files make, on Winsock: a socket is a
// SOCKET handle kept in an int (handles are small integers), an address an
// x/sys/windows Sockaddr. Every socket the loop makes is overlapped (the
// completion port runs its operations) and in FIONBIO mode (the few calls
// made without an OVERLAPPED fail with WSAEWOULDBLOCK instead of waiting).

type (
	sockaddr      = windows.Sockaddr
	sockaddrInet4 = windows.SockaddrInet4
	sockaddrInet6 = windows.SockaddrInet6
	sockaddrUnix  = windows.SockaddrUnix
	iovec         = windows.WSABuf // scratch of a gather write
)

const (
	afInet     = windows.AF_INET
	afInet6    = windows.AF_INET6
	afUnix     = windows.AF_UNIX
	sockStream = windows.SOCK_STREAM
	sockDgram  = windows.SOCK_DGRAM

	soType  = 0x1008 // SO_TYPE
	soError = 0x1007 // SO_ERROR
)

// reusePortOption is 0: Windows has no option that balances connections
// between sockets bound to one port (SO_REUSEADDR there lets another
// process steal the port), so a listener gets one socket.
const reusePortOption = 0

// needNoSigpipe: Windows has no SIGPIPE.
const needNoSigpipe = false

func handle(fd int) windows.Handle { return windows.Handle(fd) }

func sysClose(fd int) error                { return windows.Closesocket(handle(fd)) }
func getsockname(fd int) (sockaddr, error) { return windows.Getsockname(handle(fd)) }
func getpeername(fd int) (sockaddr, error) { return windows.Getpeername(handle(fd)) }
func sysConnect(fd int, sa sockaddr) error { return windows.Connect(handle(fd), sa) }
func sysBind(fd int, sa sockaddr) error    { return windows.Bind(handle(fd), sa) }
func sysListen(fd, backlog int) error      { return windows.Listen(handle(fd), backlog) }
func shutdownWrite(fd int) error           { return windows.Shutdown(handle(fd), windows.SHUT_WR) }
func enablePacketInfo4(int)                {} // receivedOn decodes nothing here yet
func enablePacketInfo6(int)                {}
func isUnixAddr(sa sockaddr) bool          { _, ok := sa.(*windows.SockaddrUnix); return ok }
func setNoSigpipe(int) error               { return nil }

// setReuseAddr does nothing: on Windows SO_REUSEADDR would let another
// socket bind the same port, and a port in TIME_WAIT can be bound anyway.
func setReuseAddr(int) error { return nil }

func setReusePort(int) error { return fmt.Errorf("loop: SO_REUSEPORT: %w", errUnsupported) }

func setV6Only(fd int, on bool) error {
	v := 0
	if on {
		v = 1
	}
	return sockoptError("setsockopt", windows.SetsockoptInt(handle(fd), windows.IPPROTO_IPV6, windows.IPV6_V6ONLY, v))
}

func setNoDelay(fd int) error {
	return sockoptError("setsockopt", windows.SetsockoptInt(handle(fd), windows.IPPROTO_TCP, windows.TCP_NODELAY, 1))
}

// setAbortOnClose makes the socket's close send a reset (SO_LINGER with a
// zero timeout), so that a peer never reads a clean end after lost bytes.
func setAbortOnClose(fd int) error {
	l := windows.Linger{Onoff: 1, Linger: 0}
	return sockoptError("setsockopt", windows.SetsockoptLinger(handle(fd), windows.SOL_SOCKET, windows.SO_LINGER, &l))
}

func socketType(fd int) (int, error) {
	t, err := windows.GetsockoptInt(handle(fd), windows.SOL_SOCKET, soType)
	return t, sockoptError("getsockopt", err)
}

// socketError returns the socket's pending error (SO_ERROR), nil if none.
func socketError(fd int) error {
	errno, err := windows.GetsockoptInt(handle(fd), windows.SOL_SOCKET, soError)
	if err != nil {
		return os.NewSyscallError("getsockopt", err)
	}
	if errno != 0 {
		return os.NewSyscallError("connect", syscall.Errno(errno))
	}
	return nil
}

func sockoptError(call string, err error) error {
	if err != nil {
		return os.NewSyscallError(call, err)
	}
	return nil
}

// setCloseOnExec keeps an adopted socket out of child processes.
func setCloseOnExec(fd int) { windows.SetHandleInformation(handle(fd), windows.HANDLE_FLAG_INHERIT, 0) }

// setNonblock puts an adopted socket in FIONBIO mode.
func setNonblock(fd int) error { return ioctlNonblock(handle(fd)) }

// dupFD refuses AdoptConn's duplicate: a socket made by package net belongs
// to the Go runtime's completion port for its whole life, and a handle can
// be associated with one port only.
func dupFD(uintptr) (int, error) {
	return -1, fmt.Errorf("loop: a socket of package net belongs to the Go runtime's completion port: %w", errUnsupported)
}

// sysSocket makes an overlapped, non-inheritable socket in FIONBIO mode.
func sysSocket(family, sotype int) (int, error) {
	h, err := windows.WSASocket(int32(family), int32(sotype), 0, nil, 0, windows.WSA_FLAG_OVERLAPPED|windows.WSA_FLAG_NO_HANDLE_INHERIT)
	if err != nil {
		return -1, os.NewSyscallError("wsasocket", err)
	}
	if err := ioctlNonblock(h); err != nil {
		windows.Closesocket(h)
		return -1, err
	}
	return int(h), nil
}

// sysAccept is accept() on a listener in FIONBIO mode; the accepted socket
// is overlapped like its listener and is put in FIONBIO mode too.
func sysAccept(fd int) (int, sockaddr, error) {
	var rsa windows.RawSockaddrAny
	h, err := wsaAccept(handle(fd), &rsa)
	if err != nil {
		return -1, nil, err
	}
	if err := ioctlNonblock(h); err != nil {
		windows.Closesocket(h)
		return -1, nil, err
	}
	sa, _ := rsa.Sockaddr()
	return int(h), sa, nil
}
