//go:build unix

package conn

import (
	"errors"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

func TestErrorLayers(t *testing.T) {
	if !errors.Is(ErrWouldBlock, unix.EAGAIN) || !errors.Is(ErrTimeout, os.ErrDeadlineExceeded) {
		t.Error("sentinels do not match their system counterparts")
	}
	if ne, ok := ErrTimeout.(net.Error); !ok || !ne.Timeout() {
		t.Error("ErrTimeout is not a net.Error timeout")
	}
	a, b := mustPair(t, AF_UNIX, SOCK_STREAM)
	b.Close()
	_, err := a.SendAll([]byte("x"))
	if err == nil { // the first send may still be accepted by the kernel
		_, err = a.SendAll([]byte("x"))
	}
	var op *OpError
	var se *os.SyscallError
	if !errors.As(err, &op) || !errors.As(err, &se) || !errors.Is(err, syscall.EPIPE) {
		t.Fatalf("send to a closed peer: %v (%T), want OpError -> SyscallError -> EPIPE", err, err)
	}
	if op.Op != "sendall" || se.Syscall != "sendmsg" || op.Temporary() || op.Timeout() {
		t.Errorf("layers: op %q syscall %q", op.Op, se.Syscall)
	}
	if msg := err.Error(); !strings.Contains(msg, "sendall") || !strings.Contains(msg, "broken pipe") {
		t.Errorf("message %q", msg)
	}
	msg := (&OpError{Op: "connect", Source: UnixAddr{Path: "/a"}, Addr: UnixAddr{Path: "/b"}, Err: unix.ECONNREFUSED}).Error()
	if msg != "conn: connect /a->/b: connection refused" {
		t.Errorf("formatted %q", msg)
	}
}
