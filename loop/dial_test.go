package loop

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// dialReporter records how dials end: OnOpen, OnDialError or OnClose.
type dialReporter struct {
	BaseHandler
	opened, dialErrs, closes chan error
}

func newDialReporter() *dialReporter {
	return &dialReporter{opened: make(chan error, 4), dialErrs: make(chan error, 4), closes: make(chan error, 4)}
}

func (h *dialReporter) OnOpen(c *Conn) ([]byte, Action) {
	if c.Dialed() {
		h.opened <- nil
	}
	return nil, None
}

func (h *dialReporter) OnDialError(c *Conn, err error) Action { h.dialErrs <- err; return None }

func (h *dialReporter) OnClose(c *Conn, err error) Action {
	if c.Dialed() {
		h.closes <- err
	}
	return None
}

// dialEnd waits for the one way a dial ended, want, and fails on another.
func dialEnd(t *testing.T, h *dialReporter, want chan error) error {
	t.Helper()
	var got chan error
	var err error
	select {
	case err = <-h.opened:
		got = h.opened
	case err = <-h.dialErrs:
		got = h.dialErrs
	case err = <-h.closes:
		got = h.closes
	case <-time.After(20 * time.Second):
		t.Fatal("the dial did not end within 20s")
	}
	if got == h.closes {
		// A dial that opened and closed before this select ran has both
		// reports waiting, and select picks at random; OnOpen came first.
		select {
		case opened := <-h.opened:
			h.closes <- err
			got, err = h.opened, opened
		default:
		}
	}
	if got != want {
		names := map[chan error]string{h.opened: "OnOpen", h.dialErrs: "OnDialError", h.closes: "OnClose"}
		t.Fatalf("the dial ended in %s (%v), want %s", names[got], err, names[want])
	}
	return err
}

// netEcho runs a goroutine-per-connection echo server with package net.
func netEcho(t *testing.T) net.Addr {
	t.Helper()
	return netEchoOn(t, "tcp", "127.0.0.1:0")
}

// netEchoOn is netEcho on network and address; the test is skipped where
// the system cannot listen there (no IPv6).
func netEchoOn(t *testing.T, network, address string) net.Addr {
	t.Helper()
	ln, err := net.Listen(network, address)
	if err != nil {
		t.Skipf("cannot listen on %s %s: %v", network, address, err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { ln.Close(); <-done })
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			// Plain copies: io.Copy would splice through pipes that the
			// runtime pools and closes only on a later GC.
			go func() {
				io.CopyBuffer(struct{ io.Writer }{c}, struct{ io.Reader }{c}, make([]byte, 32<<10))
				c.Close()
			}()
		}
	}()
	return ln.Addr()
}

// relayHandler is a minimal proxy: each accepted connection dials the
// upstream from its own loop and the two forward bytes to each other.
type relayHandler struct {
	BaseHandler
	upstream string
	dialErrs chan error
}

func (h *relayHandler) OnOpen(c *Conn) ([]byte, Action) {
	if c.Context() != nil {
		return nil, None // the upstream side, paired already
	}
	up, err := c.Loop().Dial("tcp", h.upstream, c)
	if err != nil {
		h.dialErrs <- err
		return nil, Close
	}
	c.SetContext(up)
	return nil, None
}

func (h *relayHandler) OnTraffic(c *Conn) Action {
	peer := c.Context().(*Conn)
	b, _ := c.Next(-1)
	peer.Write(b) // same loop: the bytes go out without a copy
	return None
}

func (h *relayHandler) OnClose(c *Conn, err error) Action {
	if peer, ok := c.Context().(*Conn); ok {
		peer.Close()
	}
	return None
}

func TestDialFromLoopRelaysBothWays(t *testing.T) {
	up := netEcho(t)
	h := &relayHandler{upstream: up.String(), dialErrs: make(chan error, 1)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
	for i := range 20 {
		c := dial(t, addrs[0])
		if err := echoRoundTrip(c, uint64(i), 256<<10); err != nil {
			t.Fatalf("through the relay: %v", err)
		}
	}
	select {
	case err := <-h.dialErrs:
		t.Fatal(err)
	default:
	}
}

// TestLoopDialRefusesDatagrams refuses a datagram network before it would
// look a name up on the loop.
func TestLoopDialRefusesDatagrams(t *testing.T) {
	e, err := New(BaseHandler{}, WithLoops(1), WithBackend(testBackend), WithURingOff(testURingOff), WithResolver(noDNS))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Stop(t.Context())
	_, err = e.Loops()[0].Dial("udp", "nosuch.sockloop.invalid:53", nil)
	var ae *AddrError
	if !errors.As(err, &ae) || !errors.Is(err, errDialDatagram) {
		t.Fatalf("Loop.Dial on udp = %v, want an *AddrError wrapping errDialDatagram", err)
	}
}

// greeter writes a greeting when a dialed connection opens and reports how
// it closed.
type greeter struct {
	BaseHandler
	opened chan *Conn
	closes chan error
}

func (h *greeter) OnOpen(c *Conn) ([]byte, Action) {
	h.opened <- c
	return []byte("hello from " + c.Context().(string)), None
}

func (h *greeter) OnClose(c *Conn, err error) Action {
	h.closes <- err
	return None
}

func TestEngineDial(t *testing.T) {
	h := &greeter{opened: make(chan *Conn, 1), closes: make(chan error, 1)}
	e, _ := startEngine(t, h, nil)

	t.Run("connects and writes", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		if _, err := e.Dial("tcp", ln.Addr().String(), "engine"); err != nil {
			t.Fatal(err)
		}
		peer, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer peer.Close()
		<-h.opened
		buf := make([]byte, len("hello from engine"))
		if _, err := io.ReadFull(peer, buf); err != nil || string(buf) != "hello from engine" {
			t.Fatalf("read %q, %v", buf, err)
		}
		peer.Close()
		if err := waitClose(t, h.closes); err != nil {
			t.Fatalf("OnClose err = %v, want nil", err)
		}
	})
	t.Run("refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close() // nothing listens there now
		if _, err := e.Dial("tcp", addr, "engine"); err != nil {
			t.Fatal(err)
		}
		if err := waitClose(t, h.closes); !errors.Is(err, errConnRefused) {
			t.Fatalf("OnClose err = %v, want ECONNREFUSED", err)
		}
	})
}

// TestCloseBeforeConnectSendsWrites: a dial closed before it connects,
// with output written, connects, sends the output and then ends the
// connection cleanly, as Close does on an open connection; over TLS the
// output waits for the handshake too, and ends with close_notify.
func TestCloseBeforeConnectSendsWrites(t *testing.T) {
	srvTLS, cliTLS := testTLS(t)
	for _, secure := range []bool{false, true} {
		name := map[bool]string{false: "tcp", true: "tls"}[secure]
		t.Run(name, func(t *testing.T) {
			h := &greeter{opened: make(chan *Conn, 2), closes: make(chan error, 2)}
			e, _ := startEngine(t, h, nil)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			payload := pattern(256 << 10)
			connecting := make(chan bool, 1)
			l := e.Loops()[0]
			l.Submit(func() {
				var c *Conn
				var err error
				if secure {
					c, err = l.DialTLS(context.Background(), "tcp", ln.Addr().String(), cliTLS, name)
				} else {
					c, err = l.Dial("tcp", ln.Addr().String(), name)
				}
				if err != nil {
					t.Error(err)
					connecting <- false
					return
				}
				connecting <- c.state == stateConnecting
				c.Write(payload)
				c.Close()
			})
			if !<-connecting {
				t.Fatal("the dial was not connecting when the task wrote and closed")
			}
			raw, err := ln.Accept()
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			peer := raw
			if secure {
				peer = tls.Server(raw, srvTLS)
			}
			peer.SetReadDeadline(time.Now().Add(20 * time.Second))
			got, err := io.ReadAll(peer)
			want := append([]byte("hello from "+name), payload...) // OnOpen's greeting goes first
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("the peer read %d bytes, %v; want the %d written and a clean end", len(got), err, len(want))
			}
			if err := waitClose(t, h.closes); err != nil {
				t.Fatalf("OnClose err = %v, want nil", err)
			}
		})
	}
}
