//go:build unix

package conn

import (
	"errors"
	"math"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestSetTimeoutValues(t *testing.T) {
	s := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	if got := s.Timeout(); got != NoTimeout || !s.Blocking() {
		t.Fatalf("new socket: timeout %v blocking %v, want NoTimeout true", got, s.Blocking())
	}
	tests := []struct {
		name         string
		set          func() error
		wantTimeout  time.Duration
		wantBlocking bool
	}{
		{name: "nonblocking", set: func() error { return s.SetBlocking(false) }, wantTimeout: 0, wantBlocking: false},
		{name: "blocking", set: func() error { return s.SetBlocking(true) }, wantTimeout: NoTimeout, wantBlocking: true},
		{name: "timeout", set: func() error { return s.SetTimeout(time.Second) }, wantTimeout: time.Second, wantBlocking: true},
		{name: "zero", set: func() error { return s.SetTimeout(0) }, wantTimeout: 0, wantBlocking: false},
		{name: "huge kept", set: func() error { return s.SetTimeout(math.MaxInt64) }, wantTimeout: math.MaxInt64, wantBlocking: true},
	}
	for _, tt := range tests {
		must(t, tt.set())
		if got := s.Timeout(); got != tt.wantTimeout || s.Blocking() != tt.wantBlocking {
			t.Errorf("%s: timeout %v blocking %v, want %v %v", tt.name, got, s.Blocking(), tt.wantTimeout, tt.wantBlocking)
		}
	}
	if err := s.SetTimeout(-time.Second); !errors.Is(err, unix.EINVAL) {
		t.Errorf("negative timeout: %v, want EINVAL", err)
	}
	for _, sec := range []float64{math.NaN(), -1, 1e300, math.Inf(1), math.Inf(-1)} {
		if d, err := TimeoutSeconds(sec); !errors.Is(err, unix.EINVAL) {
			t.Errorf("TimeoutSeconds(%v) = %v, %v; want an error", sec, d, err)
		}
	}
}

// TestHugeTimeoutWaits: the largest timeout is kept and arms a deadline
// that has not passed, so a call with data waiting succeeds.
func TestHugeTimeoutWaits(t *testing.T) {
	a, b := mustPair(t, AF_UNIX, SOCK_STREAM)
	must(t, b.SetTimeout(math.MaxInt64))
	_, err := a.Send([]byte("x"))
	must(t, err)
	if got, err := b.Recv(1); err != nil || string(got) != "x" {
		t.Fatalf("Recv = %q, %v", got, err)
	}
	if got := b.Timeout(); got != math.MaxInt64 {
		t.Errorf("Timeout = %v", got)
	}
}

func TestNonBlockingWouldBlock(t *testing.T) {
	a, b := mustPair(t, AF_UNIX, SOCK_STREAM)
	must(t, a.SetBlocking(false))
	_, err := a.Recv(10)
	if !errors.Is(err, ErrWouldBlock) || !errors.Is(err, unix.EAGAIN) {
		t.Fatalf("Recv: %v, want ErrWouldBlock and EAGAIN", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || ne.Timeout() || errors.Is(err, ErrTimeout) {
		t.Errorf("Recv: %v is a timeout", err)
	}
	// MSG_DONTWAIT on a blocking socket does not wait either.
	if _, err := b.Recv(10, MSG_DONTWAIT); !errors.Is(err, ErrWouldBlock) {
		t.Errorf("Recv(MSG_DONTWAIT): %v, want ErrWouldBlock", err)
	}
	l := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	must(t, l.Bind(Inet4("127.0.0.1", 0)))
	must(t, l.Listen())
	must(t, l.SetBlocking(false))
	if _, _, err := l.Accept(); !errors.Is(err, ErrWouldBlock) {
		t.Errorf("Accept: %v, want ErrWouldBlock", err)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, ErrTimeout) && errors.Is(err, os.ErrDeadlineExceeded) && errors.As(err, &ne) && ne.Timeout()
}

func TestTimeoutFires(t *testing.T) {
	a, _ := mustPair(t, AF_UNIX, SOCK_STREAM)
	must(t, a.SetTimeout(50*time.Millisecond))
	if _, err := a.Recv(10); !isTimeout(err) {
		t.Errorf("Recv: %v, want a timeout", err)
	}
	l := mustOpen(t, AF_INET6, SOCK_STREAM, 0)
	if err := l.Bind(Inet6("::1", 0)); err != nil {
		t.Skip("no IPv6 loopback:", err)
	}
	must(t, l.Listen())
	must(t, l.SetTimeout(50*time.Millisecond))
	if _, _, err := l.Accept(); !isTimeout(err) {
		t.Errorf("Accept: %v, want a timeout", err)
	}
}

// TestSendAllTimeout checks that the timeout bounds the whole SendAll: a
// peer that never reads makes it fail with a timeout and a partial count.
func TestSendAllTimeout(t *testing.T) {
	a, _ := mustPair(t, AF_UNIX, SOCK_STREAM)
	must(t, a.SetTimeout(100*time.Millisecond))
	big := make([]byte, 32<<20)
	n, err := a.SendAll(big)
	if !isTimeout(err) {
		t.Fatalf("SendAll: %v, want a timeout", err)
	}
	if n <= 0 || n >= len(big) {
		t.Errorf("SendAll sent %d of %d", n, len(big))
	}
}

func TestPastDeadlineWithQueuedConnection(t *testing.T) {
	l, addr := listen(t)
	c := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	must(t, c.Connect(addr))
	must(t, l.SetReadDeadline(time.Now().Add(-time.Second)))
	if _, _, err := l.Accept(); !isTimeout(err) {
		t.Fatalf("Accept past deadline: %v, want a timeout", err)
	}
	must(t, l.SetReadDeadline(time.Time{}))
	s, _, err := l.Accept()
	must(t, err)
	s.Close()
}

// TestDeadlineMovedWhileWaiting moves a deadline to "none" while Recv waits:
// the call goes on and gets the data sent after.
func TestDeadlineMovedWhileWaiting(t *testing.T) {
	a, b := mustPair(t, AF_UNIX, SOCK_STREAM)
	must(t, a.SetReadDeadline(time.Now().Add(time.Hour)))
	done := make(chan error, 1)
	go func() {
		data, err := a.Recv(5)
		if err == nil && string(data) != "hello" {
			err = errors.New("got " + string(data))
		}
		done <- err
	}()
	must(t, a.SetReadDeadline(time.Time{}))
	_, err := b.SendAll([]byte("hello"))
	must(t, err)
	must(t, <-done)
}

func TestCloseWakesWaiters(t *testing.T) {
	a, _ := mustPair(t, AF_UNIX, SOCK_STREAM)
	l := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	must(t, l.Bind(Inet4("127.0.0.1", 0)))
	must(t, l.Listen())
	errs := make(chan error, 2)
	go func() { _, err := a.Recv(1); errs <- err }()
	go func() { _, _, err := l.Accept(); errs <- err }()
	must(t, a.Close())
	must(t, l.Close())
	for range 2 {
		err := <-errs
		if !errors.Is(err, net.ErrClosed) || isTimeout(err) {
			t.Errorf("waiter: %v, want net.ErrClosed", err)
		}
	}
	if err := a.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if a.Fileno() != -1 {
		t.Errorf("Fileno after Close = %d, want -1", a.Fileno())
	}
}

// TestAcceptTakesDefaultTimeout follows CPython: accepted sockets take the
// default timeout, not the listener's.
func TestAcceptTakesDefaultTimeout(t *testing.T) {
	tests := []struct {
		name     string
		def      time.Duration
		listener time.Duration
		want     time.Duration
	}{
		{name: "listener timeout", def: NoTimeout, listener: 5 * time.Second, want: NoTimeout},
		{name: "listener nonblocking", def: NoTimeout, listener: 0, want: NoTimeout},
		{name: "default timeout", def: 7 * time.Second, listener: NoTimeout, want: 7 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, addr := listen(t)
			c := mustOpen(t, AF_INET, SOCK_STREAM, 0)
			must(t, c.Connect(addr))
			must(t, l.SetTimeout(tt.listener))
			must(t, SetDefaultTimeout(tt.def))
			defer SetDefaultTimeout(NoTimeout)
			s, _, err := acceptEventually(l)
			must(t, err)
			defer s.Close()
			if s.Timeout() != tt.want {
				t.Errorf("accepted timeout %v, want %v", s.Timeout(), tt.want)
			}
			if inh, err := s.Inheritable(); err != nil || inh {
				t.Errorf("accepted socket inheritable = %v, %v; want false", inh, err)
			}
			if s.Type() != SOCK_STREAM || s.Family() != AF_INET {
				t.Errorf("accepted socket is %v %v", s.Family(), s.Type())
			}
		})
	}
}

// acceptEventually accepts, retrying would-block in non-blocking mode
// by waiting in blocking mode.
func acceptEventually(l *Socket) (*Socket, Addr, error) {
	s, a, err := l.Accept()
	if errors.Is(err, ErrWouldBlock) {
		old := l.Timeout()
		l.SetBlocking(true)
		s, a, err = l.Accept()
		l.SetTimeout(old)
	}
	return s, a, err
}

func TestConnectErrors(t *testing.T) {
	l := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	must(t, l.Bind(Inet4("127.0.0.1", 0)))
	addr, err := l.SockName() // bound, not listening: connections are refused
	must(t, err)
	c := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	err = c.Connect(addr)
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("Connect: %v, want ECONNREFUSED", err)
	}
	var se *os.SyscallError
	if !errors.As(err, &se) || se.Syscall != "connect" {
		t.Errorf("Connect: %v lacks the SyscallError layer", err)
	}
	c2 := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	if errno, err := c2.ConnectEx(addr); err != nil || errno != unix.ECONNREFUSED {
		t.Errorf("ConnectEx = %v, %v; want ECONNREFUSED, nil", errno, err)
	}
	c3 := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	must(t, c3.SetBlocking(false))
	must(t, l.Listen())
	if err := c3.Connect(addr); err != nil && !(errors.Is(err, ErrWouldBlock) && errors.Is(err, unix.EINPROGRESS)) {
		t.Errorf("non-blocking Connect: %v, want nil or EINPROGRESS", err)
	}
}
