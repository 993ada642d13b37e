package loop

import (
	"errors"
	"fmt"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The socket options of WithTCPKeepAlive and its kin, and of the
// ListenOptions, on Winsock. TCP_USER_TIMEOUT and TCP_DEFER_ACCEPT have no
// Winsock counterpart, and TCP_FASTOPEN on a listener is not offered here,
// so they report errors.ErrUnsupported; so does an option the stack answers
// with WSAENOPROTOOPT (TCP_KEEPCNT before Windows 10 1709, and on Wine).

func optInt(fd, level, opt int, v int) error {
	err := windows.SetsockoptInt(handle(fd), level, opt, v)
	if err == windows.WSAENOPROTOOPT {
		return fmt.Errorf("%w: %w", errUnsupported, os.NewSyscallError("setsockopt", err))
	}
	return sockoptError("setsockopt", err)
}

// seconds rounds d up to whole seconds, as package sockopt does.
func seconds(d time.Duration) int { return int((d + time.Second - 1) / time.Second) }

func optKeepAlive(fd int, on bool) error {
	v := 0
	if on {
		v = 1
	}
	return optInt(fd, windows.SOL_SOCKET, windows.SO_KEEPALIVE, v)
}

// optKeepAliveTimes sets the keep-alive idle time and probe interval with
// TCP_KEEPIDLE and TCP_KEEPINTVL (seconds; Windows 10 1709 and later),
// else with SIO_KEEPALIVE_VALS, which every Windows (and Wine) has but
// which sets both at once: a zero one then gets Windows' default (2 h
// idle, 1 s between probes).
func optKeepAliveTimes(fd int, idle, intvl time.Duration) error {
	err := error(nil)
	if idle > 0 {
		err = optInt(fd, windows.IPPROTO_TCP, windows.TCP_KEEPIDLE, seconds(idle))
	}
	if err == nil && intvl > 0 {
		err = optInt(fd, windows.IPPROTO_TCP, windows.TCP_KEEPINTVL, seconds(intvl))
	}
	if !errors.Is(err, errUnsupported) {
		return err
	}
	if idle <= 0 {
		idle = 2 * time.Hour
	}
	if intvl <= 0 {
		intvl = time.Second
	}
	ka := windows.TCPKeepalive{
		OnOff:    1,
		Time:     uint32((idle + time.Millisecond - 1) / time.Millisecond),
		Interval: uint32((intvl + time.Millisecond - 1) / time.Millisecond),
	}
	var n uint32
	err = windows.WSAIoctl(handle(fd), windows.SIO_KEEPALIVE_VALS, (*byte)(unsafe.Pointer(&ka)), uint32(unsafe.Sizeof(ka)), nil, 0, &n, nil, 0)
	return sockoptError("wsaioctl", err)
}

func optKeepCnt(fd, n int) error { return optInt(fd, windows.IPPROTO_TCP, windows.TCP_KEEPCNT, n) }
func optRecvBuf(fd, n int) error { return optInt(fd, windows.SOL_SOCKET, windows.SO_RCVBUF, n) }
func optSendBuf(fd, n int) error { return optInt(fd, windows.SOL_SOCKET, windows.SO_SNDBUF, n) }

func optLinger(fd int, d time.Duration) error {
	l := windows.Linger{Onoff: 1, Linger: int32(seconds(d))}
	return sockoptError("setsockopt", windows.SetsockoptLinger(handle(fd), windows.SOL_SOCKET, windows.SO_LINGER, &l))
}

func optUserTimeout(int, time.Duration) error {
	return fmt.Errorf("loop: TCP_USER_TIMEOUT: %w", errUnsupported)
}

func optFastOpen(int, int) error { return fmt.Errorf("loop: TCP_FASTOPEN: %w", errUnsupported) }

func optDeferAccept(int, time.Duration) error {
	return fmt.Errorf("loop: TCP_DEFER_ACCEPT: %w", errUnsupported)
}
