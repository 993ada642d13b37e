package conn

import (
	"bytes"
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/windows"
)

// echoServer accepts one connection on l and echoes until the peer closes.
func echoServer(t *testing.T, l *Socket) <-chan error {
	done := make(chan error, 1)
	go func() {
		c, _, err := l.Accept()
		if err != nil {
			done <- err
			return
		}
		defer c.Close()
		for {
			b, err := c.Recv(4096)
			if err != nil || len(b) == 0 {
				done <- err
				return
			}
			if _, err := c.SendAll(b); err != nil {
				done <- err
				return
			}
		}
	}()
	return done
}

// retryWouldBlock repeats call while it fails with ErrWouldBlock (for the
// non-blocking mode), up to a few seconds.
func retryWouldBlock(t *testing.T, call func() error) {
	t.Helper()
	end := time.Now().Add(5 * time.Second)
	for {
		err := call()
		if !errors.Is(err, ErrWouldBlock) {
			must(t, err)
			return
		}
		if time.Now().After(end) {
			t.Fatal("still would block after 5s")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestEchoEachMode(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration
	}{
		{name: "blocking", timeout: NoTimeout},
		{name: "timeout", timeout: 5 * time.Second},
		{name: "non-blocking", timeout: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, addr := listen(t)
			done := echoServer(t, l)
			c := mustOpen(t, AF_INET, SOCK_STREAM, 0)
			must(t, c.SetTimeout(tt.timeout))
			if err := c.Connect(addr); tt.timeout == 0 {
				if err != nil && !errors.Is(err, ErrWouldBlock) {
					t.Fatalf("non-blocking connect: %v", err)
				}
				// Finish it in blocking mode, then go back; a connect that
				// finished meanwhile answers WSAEISCONN, as CPython's does.
				must(t, c.SetBlocking(true))
				if err := c.Connect(addr); err != nil && !errors.Is(err, windows.WSAEISCONN) {
					t.Fatalf("finishing the connect: %v", err)
				}
				must(t, c.SetBlocking(false))
			} else {
				must(t, err)
			}
			msg := bytes.Repeat([]byte("sockloop "), 100_000) // 900 KB: more than one send buffer
			// Read in another goroutine, so that the echo never stalls.
			gotc := make(chan []byte, 1)
			go func() {
				var got []byte
				end := time.Now().Add(10 * time.Second)
				for len(got) < len(msg) && time.Now().Before(end) {
					b, err := c.Recv(65536)
					if errors.Is(err, ErrWouldBlock) {
						time.Sleep(time.Millisecond)
						continue
					}
					if err != nil || len(b) == 0 {
						break
					}
					got = append(got, b...)
				}
				gotc <- got
			}()
			var sent int
			retryWouldBlock(t, func() error {
				n, err := c.SendAll(msg[sent:])
				sent += n
				return err
			})
			got := <-gotc
			if !bytes.Equal(got, msg) {
				t.Fatalf("echo returned %d bytes, want %d (equal prefix: %v)", len(got), len(msg), bytes.HasPrefix(msg, got))
			}
			must(t, c.Shutdown(SHUT_WR))
			if err := <-done; err != nil {
				t.Fatalf("server: %v", err)
			}
		})
	}
}

func TestRecvTimeout(t *testing.T) {
	a, b := tcpPair(t)
	must(t, a.SetTimeout(100*time.Millisecond))
	start := time.Now()
	_, err := a.Recv(10)
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Recv = %v, want a timeout", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("%v: Timeout() is not true", err)
	}
	if d := time.Since(start); d < 90*time.Millisecond {
		t.Fatalf("timed out after %v, before the 100ms timeout", d)
	}
	// The socket still works after a timeout: nothing was lost.
	must(t, sendAll(b, "after"))
	got, err := a.Recv(10)
	must(t, err)
	if string(got) != "after" {
		t.Fatalf("got %q after the timeout, want %q", got, "after")
	}
}

func sendAll(s *Socket, msg string) error {
	_, err := s.SendAll([]byte(msg))
	return err
}

func TestNonBlockingWouldBlock(t *testing.T) {
	a, _ := tcpPair(t)
	must(t, a.SetBlocking(false))
	_, err := a.Recv(10)
	if !errors.Is(err, ErrWouldBlock) || !errors.Is(err, windows.WSAEWOULDBLOCK) {
		t.Fatalf("Recv = %v, want WSAEWOULDBLOCK", err)
	}
	if errors.Is(err, ErrTimeout) {
		t.Fatalf("%v matches ErrTimeout", err)
	}
	l, _ := listen(t)
	must(t, l.SetBlocking(false))
	if _, _, err := l.Accept(); !errors.Is(err, ErrWouldBlock) {
		t.Fatalf("Accept = %v, want would block", err)
	}
}

func TestAcceptWaitsAndTimesOut(t *testing.T) {
	l, addr := listen(t)
	must(t, l.SetTimeout(100*time.Millisecond))
	if _, _, err := l.Accept(); !errors.Is(err, ErrTimeout) {
		t.Fatalf("Accept = %v, want a timeout", err)
	}
	// Blocking: Accept waits (AcceptEx) until the client connects.
	must(t, l.SetTimeout(NoTimeout))
	type result struct {
		s    *Socket
		peer Addr
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		s, peer, err := l.Accept()
		ch <- result{s, peer, err}
	}()
	time.Sleep(50 * time.Millisecond)
	c := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	must(t, c.Connect(addr))
	r := <-ch
	must(t, r.err)
	defer r.s.Close()
	if local, _ := c.SockName(); r.peer != local {
		t.Fatalf("accepted peer %v, want the client %v", r.peer, local)
	}
	if r.s.Timeout() != DefaultTimeout() {
		t.Fatalf("accepted socket timeout %v, want the default", r.s.Timeout())
	}
	must(t, sendAll(r.s, "hi"))
	if got, err := c.Recv(2); err != nil || string(got) != "hi" {
		t.Fatalf("Recv = %q, %v", got, err)
	}
}

func TestCloseWakesWaiter(t *testing.T) {
	a, _ := tcpPair(t)
	errc := make(chan error, 1)
	go func() {
		_, err := a.Recv(10)
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond)
	must(t, a.Close())
	select {
	case err := <-errc:
		if !errors.Is(err, net.ErrClosed) || errors.Is(err, ErrTimeout) {
			t.Fatalf("Recv after Close = %v, want net.ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not wake the waiting Recv")
	}
	if a.Fileno() != -1 {
		t.Fatalf("Fileno after Close = %d", a.Fileno())
	}
	if _, err := a.Send([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Send after Close = %v", err)
	}
}

func TestDeadlineMovedToNoneLetsCallContinue(t *testing.T) {
	a, b := tcpPair(t)
	must(t, a.SetReadDeadline(time.Now().Add(200*time.Millisecond)))
	errc := make(chan error, 1)
	go func() {
		got, err := a.Recv(10)
		if err == nil && string(got) != "late" {
			err = errors.New("got " + string(got))
		}
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond)
	must(t, a.SetReadDeadline(time.Time{}))
	time.Sleep(300 * time.Millisecond)
	must(t, sendAll(b, "late"))
	if err := <-errc; err != nil {
		t.Fatalf("Recv = %v, want the data sent after the old deadline", err)
	}
}

func TestPastDeadlineFailsAtOnce(t *testing.T) {
	l, addr := listen(t)
	c := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	must(t, c.Connect(addr)) // a connection is queued
	must(t, l.SetDeadline(time.Now().Add(-time.Second)))
	if s, _, err := l.Accept(); !errors.Is(err, ErrTimeout) {
		if s != nil {
			s.Close()
		}
		t.Fatalf("Accept with a past deadline = %v, want a timeout", err)
	}
}

func TestConnectRefused(t *testing.T) {
	l, addr := listen(t)
	l.Close() // nothing listens there now
	c := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	must(t, c.SetTimeout(10*time.Second))
	errno, err := c.ConnectEx(addr)
	if err != nil {
		t.Fatalf("ConnectEx = %v", err)
	}
	if errno != windows.WSAECONNREFUSED {
		t.Fatalf("ConnectEx = %d (%v), want WSAECONNREFUSED", errno, errno)
	}
}

func TestUDPSendToRecvFrom(t *testing.T) {
	a := mustOpen(t, AF_INET, SOCK_DGRAM, 0)
	b := mustOpen(t, AF_INET, SOCK_DGRAM, 0)
	must(t, a.Bind(Inet4("127.0.0.1", 0)))
	must(t, b.Bind(Inet4("127.0.0.1", 0)))
	aAddr, _ := a.SockName()
	bAddr, _ := b.SockName()
	must(t, a.SetTimeout(5*time.Second))
	// Waiting first exercises the overlapped WSARecvFrom.
	go func() {
		time.Sleep(50 * time.Millisecond)
		b.SendTo([]byte("datagram"), aAddr)
	}()
	buf := make([]byte, 64)
	n, from, err := a.RecvFromInto(buf)
	must(t, err)
	if string(buf[:n]) != "datagram" || from != bAddr {
		t.Fatalf("RecvFromInto = %q from %v, want %q from %v", buf[:n], from, "datagram", bAddr)
	}
	must(t, a.SetBlocking(false))
	if _, _, err := a.RecvFrom(64); !errors.Is(err, ErrWouldBlock) {
		t.Fatalf("RecvFrom on an empty queue = %v, want would block", err)
	}
}

func TestSendAllTimeoutBoundsTheCall(t *testing.T) {
	a, _ := tcpPair(t) // the peer never reads
	must(t, a.SetSockopt(SO_SNDBUF, 8192))
	must(t, a.SetTimeout(200*time.Millisecond))
	start := time.Now()
	n, err := a.SendAll(make([]byte, 64<<20))
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("SendAll to a peer that never reads = %d, %v; want a timeout", n, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("SendAll took %v under a 200ms timeout", d)
	}
	if n <= 0 || n >= 64<<20 {
		t.Fatalf("SendAll reported %d bytes sent", n)
	}
}
