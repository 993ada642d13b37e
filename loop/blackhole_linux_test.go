package loop

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"github.com/sockloop/sockloop/internal/testnet"
)

// TestCloseBeforeConnectLingers: a dial closed with output before it
// connects waits for the connect no longer than the close linger; then it
// ends with ErrCloseLinger and its output reported dropped, as a drain
// that outlasts the linger does.
func TestCloseBeforeConnectLingers(t *testing.T) {
	target := testnet.BlackHole(t)
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
	target := testnet.BlackHole(t)
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
