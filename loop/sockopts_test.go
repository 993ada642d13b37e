package loop

import (
	"context"
	"errors"
	"io"
	"net"
	"runtime"
	"testing"
	"time"
)

// TestStreamOptionsInvalid: New refuses values no system takes, naming the
// option.
func TestStreamOptionsInvalid(t *testing.T) {
	tests := []struct {
		name string
		opt  Option
	}{
		{"WithTCPKeepAlive", WithTCPKeepAlive(-time.Second, 0, 0)},
		{"WithTCPKeepAlive", WithTCPKeepAlive(0, -time.Second, 0)},
		{"WithTCPKeepAlive", WithTCPKeepAlive(0, 0, -1)},
		{"WithSocketBuffers", WithSocketBuffers(-1, 0)},
		{"WithSocketBuffers", WithSocketBuffers(0, -1)},
		{"WithSocketLinger", WithSocketLinger(-time.Second)},
		{"WithTCPUserTimeout", WithTCPUserTimeout(-time.Millisecond)},
	}
	for _, tt := range tests {
		_, err := New(BaseHandler{}, WithLoops(1), tt.opt)
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option != tt.name {
			t.Errorf("%s: New = %v; want an *OptionError naming it", tt.name, err)
		}
	}
}

// TestListenOptionsInvalid: Listen refuses bad values, and TCP options on
// listeners of other networks, with an *OptionError.
func TestListenOptionsInvalid(t *testing.T) {
	e, err := New(BaseHandler{}, WithLoops(1), WithLogger(quietLogger))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Stop(context.Background())
	tests := []struct {
		name, addr string
		opt        ListenOption
	}{
		{"WithBacklog", "tcp://127.0.0.1:0", WithBacklog(0)},
		{"WithFastOpen", "tcp://127.0.0.1:0", WithFastOpen(0)},
		{"WithDeferAccept", "tcp://127.0.0.1:0", WithDeferAccept(0)},
		{"WithFastOpen", "udp://127.0.0.1:0", WithFastOpen(1)},
		{"WithDeferAccept", "udp://127.0.0.1:0", WithDeferAccept(time.Second)},
		{"WithBacklog", "udp://127.0.0.1:0", WithBacklog(10)},
	}
	for _, tt := range tests {
		_, err := e.Listen(tt.addr, tt.opt)
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option != tt.name {
			t.Errorf("%s on %s: Listen = %v; want an *OptionError naming it", tt.name, tt.addr, err)
		}
	}
}

// TestOptionsUnsupported: an option the platform lacks fails New or Listen
// with an *OptionError matching errors.ErrUnsupported, and one it has does
// not fail.
func TestOptionsUnsupported(t *testing.T) {
	linux := runtime.GOOS == "linux"
	check := func(name string, err error, supported bool) {
		t.Helper()
		var oe *OptionError
		switch {
		case supported && err != nil:
			t.Errorf("%s: %v; want it to work on %s", name, err, runtime.GOOS)
		case !supported && (!errors.Is(err, errors.ErrUnsupported) || !errors.As(err, &oe) || oe.Option != name):
			t.Errorf("%s: %v; want an *OptionError matching ErrUnsupported on %s", name, err, runtime.GOOS)
		}
	}
	e, err := New(BaseHandler{}, WithLoops(1), WithTCPUserTimeout(time.Second))
	if err == nil {
		e.Stop(context.Background())
	}
	check("WithTCPUserTimeout", err, linux)

	// The probe count: Windows has it from 10 1709 on (Wine 8 lacks it).
	e, err = New(BaseHandler{}, WithLoops(1), WithTCPKeepAlive(0, 0, 4))
	if err == nil {
		e.Stop(context.Background())
	}
	if runtime.GOOS != "windows" || !errors.Is(err, errors.ErrUnsupported) {
		check("WithTCPKeepAlive", err, runtime.GOOS != "openbsd")
	}

	e, err = New(BaseHandler{}, WithLoops(1), WithLogger(quietLogger))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Stop(context.Background())
	_, err = e.Listen("tcp://127.0.0.1:0", WithDeferAccept(time.Second))
	check("WithDeferAccept", err, linux)
	_, err = e.Listen("tcp://127.0.0.1:0", WithFastOpen(4))
	check("WithFastOpen", err, runtime.GOOS != "windows" && runtime.GOOS != "openbsd" && runtime.GOOS != "netbsd")
}

// TestStreamOptionsServe: an engine with keep-alive, buffer sizes, linger
// and a backlog serves accepted and dialed connections as usual, on every
// platform that has the options (reading them back is the Linux test's).
func TestStreamOptionsServe(t *testing.T) {
	opts := []Option{WithTCPKeepAlive(30*time.Second, 5*time.Second, 0), WithSocketBuffers(64<<10, 64<<10), WithSocketLinger(time.Second)}
	probe, err := New(BaseHandler{}, append([]Option{WithLoops(1)}, opts...)...)
	if err != nil {
		if errors.Is(err, errors.ErrUnsupported) {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	probe.Stop(context.Background())
	h := newEchoHandler()
	e, err := New(h, append([]Option{WithLoops(2), WithEdgeTriggered(testEdge), WithBackend(testBackend),
		WithURingOff(testURingOff), WithLogger(quietLogger)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	addr, err := e.Listen("tcp://127.0.0.1:0", WithBacklog(64))
	if err != nil {
		e.Stop(context.Background())
		t.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer e.Stop(context.Background())

	c := dial(t, addr)
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "ping" {
		t.Fatalf("echo read %q, %v", buf, err)
	}

	// A dialed connection, to a plain listener: its bytes arrive.
	peer, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	dc, err := e.Dial("tcp", peer.Addr().String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := dc.AsyncWrite([]byte("x"), nil); err != nil {
		t.Fatal(err)
	}
	pc, err := peer.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	pc.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.ReadFull(pc, buf[:1]); err != nil || buf[0] != 'x' {
		t.Fatalf("dialed connection's byte: %q, %v", buf[:1], err)
	}
}
