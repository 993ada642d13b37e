package conn

import (
	"errors"
	"net"
	"syscall"
	"testing"
	"time"
)

// TestClosedSocketErrors: every call on a closed socket fails with an error
// matching net.ErrClosed, as Go callers expect, and EBADF, as CPython's
// OSError for the same call; settimeout too, whatever the timeout.
func TestClosedSocketErrors(t *testing.T) {
	a, err := Open(AF_INET, SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	for name, call := range map[string]func() error{
		"recv":             func() error { _, err := a.Recv(1); return err },
		"send":             func() error { _, err := a.Send([]byte("x")); return err },
		"getsockname":      func() error { _, err := a.SockName(); return err },
		"shutdown":         func() error { return a.Shutdown(SHUT_RDWR) },
		"settimeout 1.5s":  func() error { return a.SetTimeout(1500 * time.Millisecond) },
		"settimeout 0":     func() error { return a.SetTimeout(0) },
		"settimeout none":  func() error { return a.SetTimeout(NoTimeout) },
		"setblocking true": func() error { return a.SetBlocking(true) },
	} {
		err := call()
		if !errors.Is(err, net.ErrClosed) || !errors.Is(err, syscall.EBADF) {
			t.Errorf("%s after Close: %v, want an error matching net.ErrClosed and EBADF", name, err)
		}
	}
}
