package netconn_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/sockloop/sockloop/loop"
	"github.com/sockloop/sockloop/loop/netconn"
)

// TestDialContext dials a server of package net through the loops, and
// reports a refused dial, a cancelled one, and one before the engine runs.
func TestDialContext(t *testing.T) {
	s := startServer(t, nil)
	nl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer nl.Close()
	go func() {
		c, err := nl.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.Copy(c, c)
	}()

	c, err := s.h.DialContext(context.Background(), "tcp", nl.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.RemoteAddr().String() != nl.Addr().String() {
		t.Errorf("RemoteAddr %v; want %v", c.RemoteAddr(), nl.Addr())
	}
	c.Write([]byte("echo me"))
	buf := make([]byte, 7)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "echo me" {
		t.Fatalf("echo: %q, %v", buf, err)
	}

	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := closed.Addr().String()
	closed.Close()
	if _, err := s.h.DialContext(context.Background(), "tcp", refused); !isRefused(err) {
		t.Errorf("dial of a closed port: %v; want a refused connection", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.h.DialContext(ctx, "tcp", nl.Addr().String()); !errors.Is(err, context.Canceled) {
		t.Errorf("dial with a cancelled context: %v; want context.Canceled", err)
	}
	var oe *net.OpError
	if _, err := netconn.NewHandler(nil).DialContext(context.Background(), "tcp", refused); !errors.As(err, &oe) {
		t.Errorf("dial before the engine started: %v; want a *net.OpError", err)
	}
}

// mixed serves the hot path in its callbacks (it answers each line with
// its length) and hands connections that begin with "GO\n" to goroutine
// code (which answers lines in upper case).
type mixed struct {
	loop.BaseHandler
	h      *netconn.Handler
	served chan struct{} // closed when a handed-over connection's goroutine ends
}

func (m *mixed) OnTraffic(c *loop.Conn) loop.Action {
	head, err := c.Peek(3)
	if err != nil {
		return loop.None // wait for the first three bytes
	}
	if string(head) == "GO\n" {
		c.Discard(3)
		go m.serve(m.h.Conn(c)) // what follows "GO\n" is the Conn's first input
		return loop.None
	}
	for {
		b, _ := c.Peek(-1)
		i := strings.IndexByte(string(b), '\n')
		if i < 0 {
			return loop.None
		}
		c.Write([]byte{byte('0' + i%10), '\n'})
		c.Discard(i + 1)
	}
}

func (m *mixed) serve(c net.Conn) {
	defer close(m.served)
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		io.WriteString(c, strings.ToUpper(line))
	}
}

// TestHandOver: a handler serves some connections in its callbacks and
// hands another to goroutine code, input already buffered included.
func TestHandOver(t *testing.T) {
	m := &mixed{served: make(chan struct{})}
	m.h = netconn.NewHandler(m)
	addr := startEngine(t, "tcp://127.0.0.1:0", false, m.h).addr.String()

	hot, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer hot.Close()
	io.WriteString(hot, "abc\nde\n")
	if got := readLines(t, hot, 2); got != "3\n2\n" {
		t.Errorf("handler path: %q; want %q", got, "3\n2\n")
	}

	cold, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer cold.Close()
	io.WriteString(cold, "GO\nhello\n") // "hello" most likely waits in the loop when Conn takes over
	if got := readLines(t, cold, 1); got != "HELLO\n" {
		t.Errorf("goroutine path: %q; want %q", got, "HELLO\n")
	}
	io.WriteString(cold, "again\n")
	if got := readLines(t, cold, 1); got != "AGAIN\n" {
		t.Errorf("goroutine path: %q; want %q", got, "AGAIN\n")
	}
	cold.Close()
	<-m.served
}

func readLines(t *testing.T, c net.Conn, n int) string {
	t.Helper()
	r := bufio.NewReader(c)
	var b strings.Builder
	for range n {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("after %q: %v", b.String(), err)
		}
		b.WriteString(line)
	}
	return b.String()
}
