package loop

import (
	"fmt"
	"time"

	"golang.org/x/sys/windows"
)

// The socket options of WithTCPKeepAlive and its kin, and of the
// ListenOptions, on Winsock. TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT
// take seconds (Windows 10 1709 and later). TCP_USER_TIMEOUT and
// TCP_DEFER_ACCEPT have no Winsock counterpart, and TCP_FASTOPEN on a
// listener is not offered here, so they report errors.ErrUnsupported.

func optInt(fd, level, opt int, v int) error {
	return sockoptError("setsockopt", windows.SetsockoptInt(handle(fd), level, opt, v))
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

func optKeepIdle(fd int, d time.Duration) error {
	return optInt(fd, windows.IPPROTO_TCP, windows.TCP_KEEPIDLE, seconds(d))
}

func optKeepIntvl(fd int, d time.Duration) error {
	return optInt(fd, windows.IPPROTO_TCP, windows.TCP_KEEPINTVL, seconds(d))
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
