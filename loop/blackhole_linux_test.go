package loop

import (
	"errors"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// blackHole returns the address of a listener whose backlog is full, so
// that a connect to it waits: the kernel drops its SYNs and retries for
// minutes.
func blackHole(t *testing.T) string {
	t.Helper()
	lfd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(lfd) })
	if err := unix.Bind(lfd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(lfd, 0); err != nil {
		t.Fatal(err)
	}
	sa, _ := unix.Getsockname(lfd)
	target := net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*unix.SockaddrInet4).Port))
	// Fill the backlog with connections nobody accepts.
	for range 2 {
		c, err := net.DialTimeout("tcp", target, 200*time.Millisecond)
		if err != nil {
			break
		}
		t.Cleanup(func() { c.Close() })
	}
	return target
}

// TestCloseBeforeConnectLingers: a dial closed with output before it
// connects waits for the connect no longer than the close linger; then it
// ends with ErrCloseLinger and its output reported dropped, as a drain
// that outlasts the linger does.
func TestCloseBeforeConnectLingers(t *testing.T) {
	target := blackHole(t)
	h := &greeter{opened: make(chan *Conn, 1), closes: make(chan error, 1)}
	e, _ := startEngine(t, h, nil, WithCloseLinger(100*time.Millisecond))
	l := e.Loops()[0]
	l.Submit(func() {
		c, err := l.Dial("tcp", target, "never")
		if err != nil {
			h.closes <- err
			return
		}
		c.Write([]byte("never sent"))
		c.Close()
	})
	err := waitClose(t, h.closes)
	var dropped *OutputDroppedError
	if !errors.Is(err, ErrCloseLinger) || !errors.As(err, &dropped) || dropped.Bytes != len("never sent") {
		t.Fatalf("OnClose err = %v, want ErrCloseLinger with the 10 queued bytes dropped", err)
	}
	if n := e.CountConnections(); n != 0 {
		t.Errorf("CountConnections = %d after the linger, want 0", n)
	}
}

// TestDialTimeout: a dial to a host that drops its SYNs fails after
// WithDialTimeout with ErrDialTimeout (a deadline, inside a dial
// *net.OpError), and leaves nothing behind; on both drivers.
func TestDialTimeout(t *testing.T) {
	target := blackHole(t)
	h := &greeter{opened: make(chan *Conn, 1), closes: make(chan error, 1)}
	e, _ := startEngine(t, h, nil, WithDialTimeout(100*time.Millisecond))
	if _, err := e.Dial("tcp", target, "never"); err != nil {
		t.Fatal(err)
	}
	err := waitClose(t, h.closes)
	var op *net.OpError
	if !errors.Is(err, ErrDialTimeout) || !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &op) || op.Op != "dial" {
		t.Fatalf("OnClose err = %v, want a dial *net.OpError wrapping ErrDialTimeout", err)
	}
	if n := e.CountConnections(); n != 0 {
		t.Errorf("CountConnections = %d after the timeout, want 0", n)
	}
}
