//go:build unix

package conn

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestRetryEINTR injects EINTR into an attempt: it is retried, as PEP 475
// asks, and other errors pass through.
func TestRetryEINTR(t *testing.T) {
	calls := 0
	err := retry(0, func(int) error {
		calls++
		if calls < 3 {
			return unix.EINTR
		}
		return unix.EAGAIN
	})
	if err != unix.EAGAIN || calls != 3 {
		t.Errorf("retry = %v after %d calls, want EAGAIN after 3", err, calls)
	}
}

// TestSendAllEINTR injects EINTR before every real sendmsg: SendAll
// still delivers everything, and under a timeout with a peer that never
// reads the timeout bounds the whole call.
func TestSendAllEINTR(t *testing.T) {
	a, b := mustPair(t, AF_UNIX, SOCK_STREAM)
	interrupts := 0
	a.hooks = &hooks{sendmsgN: func(fd int, p, oob []byte, to unix.Sockaddr, flags int) (int, error) {
		interrupts++
		if interrupts%2 == 1 {
			return 0, unix.EINTR
		}
		return unix.SendmsgN(fd, p[:min(len(p), 1000)], oob, to, flags)
	}}
	msg := make([]byte, 10000)
	for i := range msg {
		msg[i] = byte(i)
	}
	n, err := a.SendAll(msg)
	if err != nil || n != len(msg) {
		t.Fatalf("SendAll = %d, %v", n, err)
	}
	got := make([]byte, len(msg))
	_, err = io.ReadFull(b, got)
	must(t, err)
	if !bytes.Equal(got, msg) {
		t.Error("data differs")
	}
	if interrupts < 20 {
		t.Errorf("only %d calls", interrupts)
	}
	must(t, a.SetTimeout(100*time.Millisecond))
	if _, err := a.SendAll(make([]byte, 32<<20)); !isTimeout(err) || !errors.Is(err, ErrTimeout) {
		t.Fatalf("SendAll to a full peer: %v, want a timeout", err)
	}
}

// TestConnectTimeout fills a listener's backlog so a further connect
// cannot complete, and checks that Connect under a timeout fails with a
// timeout error (ConnectEx with EAGAIN).
func TestConnectTimeout(t *testing.T) {
	l := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	must(t, l.Bind(Inet4("127.0.0.1", 0)))
	must(t, l.Listen(0))
	addr, _ := l.SockName()
	for range 64 {
		c := mustOpen(t, AF_INET, SOCK_STREAM, 0)
		must(t, c.SetTimeout(200*time.Millisecond))
		err := c.Connect(addr)
		if err == nil {
			continue
		}
		if !isTimeout(err) {
			t.Fatalf("Connect: %v, want nil or a timeout", err)
		}
		c2 := mustOpen(t, AF_INET, SOCK_STREAM, 0)
		must(t, c2.SetTimeout(50*time.Millisecond))
		if errno, err := c2.ConnectEx(addr); err != nil || errno != unix.EAGAIN {
			t.Errorf("ConnectEx = %v, %v; want EAGAIN", errno, err)
		}
		return
	}
	t.Skip("this kernel completes every connect to a full backlog")
}
