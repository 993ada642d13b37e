package loop

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// readOpts is what the kernel reports of a connection's options.
type readOpts struct {
	dialed                      bool
	keepAlive, idle, intvl, cnt int
	rcvBuf, sndBuf, userTimeout int
	linger                      unix.Linger
	err                         error
}

func readConnOpts(fd int) (r readOpts) {
	get := func(level, opt int) int {
		v, err := unix.GetsockoptInt(fd, level, opt)
		if err != nil && r.err == nil {
			r.err = err
		}
		return v
	}
	r.keepAlive = get(unix.SOL_SOCKET, unix.SO_KEEPALIVE)
	r.idle = get(unix.IPPROTO_TCP, unix.TCP_KEEPIDLE)
	r.intvl = get(unix.IPPROTO_TCP, unix.TCP_KEEPINTVL)
	r.cnt = get(unix.IPPROTO_TCP, unix.TCP_KEEPCNT)
	r.rcvBuf = get(unix.SOL_SOCKET, unix.SO_RCVBUF)
	r.sndBuf = get(unix.SOL_SOCKET, unix.SO_SNDBUF)
	r.userTimeout = get(unix.IPPROTO_TCP, unix.TCP_USER_TIMEOUT)
	l, err := unix.GetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER)
	if err != nil && r.err == nil {
		r.err = err
	}
	if l != nil {
		r.linger = *l
	}
	return r
}

// optsHandler reads every connection's options in OnOpen, from its
// descriptor, as the kernel reports them.
type optsHandler struct {
	BaseHandler
	opened chan readOpts
}

func (h *optsHandler) OnOpen(c *Conn) ([]byte, Action) {
	r := readConnOpts(c.Fd())
	r.dialed = c.Context() == "dialed"
	h.opened <- r
	return nil, None
}

// TestStreamOptionsLinux starts an engine with every stream option and a
// listener with every listen option, and reads them back from an accepted
// connection, a dialed one and the listening sockets.
func TestStreamOptionsLinux(t *testing.T) {
	const rcv, snd = 96 << 10, 160 << 10 // under net.core.rmem_max and wmem_max by default
	h := &optsHandler{opened: make(chan readOpts, 4)}
	e, err := New(h, WithLoops(2), WithEdgeTriggered(testEdge), WithBackend(testBackend),
		WithURingOff(testURingOff), WithLogger(quietLogger),
		WithTCPKeepAlive(30*time.Second, 5*time.Second, 4),
		WithSocketBuffers(rcv, snd),
		WithSocketLinger(2*time.Second),
		WithTCPUserTimeout(2500*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	addr, err := e.Listen("tcp://127.0.0.1:0", WithBacklog(17), WithFastOpen(8), WithDeferAccept(5*time.Second))
	if err != nil {
		e.Stop(context.Background())
		t.Fatal(err)
	}
	// The listening sockets, read before Start hands them to the loops.
	for _, fd := range e.listeners[0].fds {
		if v, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF); err != nil || v != 2*rcv {
			t.Errorf("listener SO_RCVBUF = %d, %v; want %d (socket(7): the kernel doubles it)", v, err, 2*rcv)
		}
		if v, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUF); err != nil || v != 2*snd {
			t.Errorf("listener SO_SNDBUF = %d, %v; want %d", v, err, 2*snd)
		}
		if v, err := unix.GetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_FASTOPEN); err != nil || v != 8 {
			t.Errorf("listener TCP_FASTOPEN = %d, %v; want 8", v, err)
		}
		// Five seconds are three SYN-ACK retransmissions (1 + 2 + 4 s),
		// which read back as 7 s.
		if v, err := unix.GetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_DEFER_ACCEPT); err != nil || v != 7 {
			t.Errorf("listener TCP_DEFER_ACCEPT = %d, %v; want 7", v, err)
		}
		// A listening socket's TCP_INFO reports its backlog in tcpi_sacked.
		if ti, err := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO); err != nil || ti.Sacked != 17 {
			t.Errorf("listener backlog (tcpi_sacked) = %v, %v; want 17", ti, err)
		}
	}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Stop(context.Background()) })

	// Accepted: with TCP_DEFER_ACCEPT the connection waits for its first byte.
	c := dial(t, addr)
	c.Write([]byte("x"))

	// Dialed: to a plain listener.
	peer, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	go func() {
		if pc, err := peer.Accept(); err == nil {
			t.Cleanup(func() { pc.Close() })
		}
	}()
	if _, err := e.Dial("tcp", peer.Addr().String(), "dialed"); err != nil {
		t.Fatal(err)
	}

	var sawDialed, sawAccepted bool
	for range 2 {
		var r readOpts
		select {
		case r = <-h.opened:
		case <-time.After(10 * time.Second):
			t.Fatal("no OnOpen within 10s")
		}
		which := "accepted"
		if r.dialed {
			which, sawDialed = "dialed", true
		} else {
			sawAccepted = true
		}
		if r.err != nil {
			t.Fatalf("%s: getsockopt: %v", which, r.err)
		}
		want := readOpts{
			dialed: r.dialed, keepAlive: 1, idle: 30, intvl: 5, cnt: 4,
			rcvBuf: 2 * rcv, sndBuf: 2 * snd, userTimeout: 2500,
			linger: unix.Linger{Onoff: 1, Linger: 2},
		}
		if r != want {
			t.Errorf("%s connection reads back\n %+v\nwant\n %+v", which, r, want)
		}
	}
	if !sawDialed || !sawAccepted {
		t.Fatalf("saw dialed %v, accepted %v", sawDialed, sawAccepted)
	}
}

// TestStreamOptionFailureClosesConn: an option the kernel refuses at accept
// time closes that connection before OnOpen, says so in the log once, and
// leaves the loop serving.
func TestStreamOptionFailureClosesConn(t *testing.T) {
	var logBuf syncBuffer
	logger := slog.New(slog.NewTextHandler(&logBuf, nil))
	h := &optsHandler{opened: make(chan readOpts, 4)}
	e, err := New(h, WithLoops(2), WithEdgeTriggered(testEdge), WithBackend(testBackend),
		WithURingOff(testURingOff), WithLogger(logger), WithTCPKeepAlive(0, 0, 3))
	if err != nil {
		t.Fatal(err)
	}
	// Past New's check: Linux refuses more than 127 keep-alive probes.
	e.cfg.stream.keepCnt = 1000
	addr, err := e.Listen("tcp://127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Stop(context.Background()) })
	for range 2 {
		c := dial(t, addr)
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if n, err := c.Read(make([]byte, 1)); err == nil {
			t.Fatalf("read %d bytes from a connection that should be closed", n)
		} else if errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("connection not closed: %v", err)
		}
	}
	select {
	case r := <-h.opened:
		t.Fatalf("OnOpen ran for a connection whose option failed: %+v", r)
	default:
	}
	if n := strings.Count(logBuf.String(), "cannot set socket option"); n != 1 {
		t.Fatalf("logged %d times, want once:\n%s", n, logBuf.String())
	}
	if !strings.Contains(logBuf.String(), "TCP_KEEPCNT") {
		t.Fatalf("the log does not name the option:\n%s", logBuf.String())
	}
	// Dial gives the error to its caller.
	if _, err := e.Dial("tcp", addr.String(), nil); err == nil {
		t.Fatal("Dial succeeded with an option the kernel refuses")
	} else if oe := (*OptionError)(nil); !errors.As(err, &oe) || oe.Option != "WithTCPKeepAlive" || !errors.Is(err, unix.EINVAL) {
		t.Fatalf("Dial: %v; want an *OptionError for WithTCPKeepAlive wrapping EINVAL", err)
	}
}
