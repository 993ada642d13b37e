package loop

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sockloop/sockloop/internal/leaktest"
)

// clientHello returns the first flight of a crypto/tls client: one
// handshake record holding its ClientHello.
func clientHello(t testing.TB, cfg *tls.Config) []byte {
	t.Helper()
	w := &captureConn{}
	tls.Client(w, cfg).Handshake() // fails at the read after the hello
	if len(w.buf) < 5 || w.buf[0] != 22 {
		t.Fatalf("captured %x, want a handshake record", w.buf)
	}
	return w.buf
}

// captureConn keeps what is written to it; reads end at once.
type captureConn struct {
	net.Conn
	buf []byte
}

func (c *captureConn) Write(b []byte) (int, error) { c.buf = append(c.buf, b...); return len(b), nil }
func (c *captureConn) Read([]byte) (int, error)    { return 0, io.EOF }
func (c *captureConn) Close() error                { return nil }
func (c *captureConn) SetDeadline(time.Time) error { return nil }

// lastRecordType returns the content type of the last whole TLS record
// in b, 0 for none.
func lastRecordType(b []byte) byte {
	var last byte
	for len(b) >= 5 {
		n := 5 + (int(b[3])<<8 | int(b[4]))
		if n > len(b) {
			break
		}
		last, b = b[0], b[n:]
	}
	return last
}

// countingHandler counts the connections the handler hears of.
type countingHandler struct {
	echoHandler
	opens atomic.Int32
}

func (h *countingHandler) OnOpen(c *Conn) ([]byte, Action) {
	h.opens.Add(1)
	return nil, None
}

// readUntilClosed reads c until the server ends it, within 20 s, and
// returns what arrived and how it ended.
func readUntilClosed(t *testing.T, c net.Conn) ([]byte, error) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	got, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server kept the connection open (read %d bytes)", len(got))
	}
	return got, err
}

// TestTLSBadInput: what is not TLS, or stops halfway, is closed without
// reaching the handler, with an alert where TLS has one; nothing is left
// behind (descriptors, goroutines) and the engine serves on.
func TestTLSBadInput(t *testing.T) {
	srv, cli := testTLS(t)
	hello := clientHello(t, cli)
	cli12 := cli.Clone()
	cli12.MaxVersion = tls.VersionTLS12 // its alerts go in the clear
	hello12 := clientHello(t, cli12)
	for _, tc := range []struct {
		name  string
		send  []byte
		alert bool // the answer is a TLS alert record
	}{
		{name: "garbage", send: bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 256)},
		{name: "plaintext-http", send: []byte("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")},
		{name: "stalled", send: nil},
		{name: "half-a-hello", send: hello[:len(hello)/2]},
		{name: "hello-then-garbage", send: append(append([]byte(nil), hello12...), bytes.Repeat([]byte{0x16, 3, 3, 0, 4, 1, 2, 3, 4}, 8)...), alert: true},
		{name: "application-data-first", send: []byte{23, 3, 3, 0, 5, 1, 2, 3, 4, 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := leaktest.Take()
			h := &countingHandler{echoHandler: *newEchoHandler()}
			e, addrs := launchEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithTLS(srv), WithTLSHandshakeTimeout(300*time.Millisecond))
			c, err := dialConn(addrs[0])
			if err != nil {
				t.Fatal(err)
			}
			c.Write(tc.send)
			got, _ := readUntilClosed(t, c)
			c.Close()
			if last := lastRecordType(got); tc.alert && last != 21 {
				t.Errorf("the server's last record was of type %d, want an alert (21)", last)
			}
			servesOnAfterOneFailure(t, e, addrs[0], cli, h, base)
		})
	}
}

// servesOnAfterOneFailure checks an engine after one client failed its
// handshake: a good client is served, the handler heard of it alone, the
// counters show one handshake and one failure, and once the engine stops
// nothing is left behind.
func servesOnAfterOneFailure(t *testing.T, e *Engine, addr net.Addr, cli *tls.Config, h *countingHandler, base leaktest.Baseline) {
	t.Helper()
	tc := tlsDial(t, addr, cli)
	if err := echoRoundTrip(tc, 1, 4096); err != nil {
		t.Fatal(err)
	}
	tc.Close()
	waitClose(t, h.closes)
	if n := h.opens.Load(); n != 1 {
		t.Errorf("OnOpen ran %d times, want once (for the good client only)", n)
	}
	if st := e.Stats(); st.TLSHandshakeFailures != 1 || st.TLSHandshakes != 1 {
		t.Errorf("Stats: %d handshakes, %d failed; want 1 and 1", st.TLSHandshakes, st.TLSHandshakeFailures)
	}
	if err := e.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := base.Check(); err != nil {
		t.Fatal(err)
	}
}

// TestTLSAbandonedHandshakes: a thousand clients that send half a hello
// and go leave nothing behind, and the engine serves on.
func TestTLSAbandonedHandshakes(t *testing.T) {
	base := leaktest.Take()
	srv, cli := testTLS(t)
	hello := clientHello(t, cli)
	h := &countingHandler{echoHandler: *newEchoHandler()}
	e, addrs := launchEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithTLS(srv))
	const n = 1000
	for i := 0; i < n; i += 100 {
		var conns []net.Conn
		for range 100 {
			c, err := dialConn(addrs[0])
			if err != nil {
				t.Fatal(err)
			}
			c.Write(hello[:len(hello)/2])
			conns = append(conns, c)
		}
		for _, c := range conns {
			c.Close()
		}
	}
	waitFor(t, func() bool { return e.Stats().TLSHandshakeFailures == n })
	c := tlsDial(t, addrs[0], cli)
	if err := echoRoundTrip(c, 1, 64<<10); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if err := e.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := h.opens.Load(); got != 1 {
		t.Errorf("OnOpen ran %d times, want once", got)
	}
	if err := base.Check(); err != nil {
		t.Fatal(err)
	}
}

// TestTLSHandshakesNeverBlockTheLoop: with a thousand handshakes stuck in
// the server's GetCertificate (the concurrency bound raised to let them
// all in), an established connection on the same single loop goes on
// echoing.
func TestTLSHandshakesNeverBlockTheLoop(t *testing.T) {
	srv, cli := testTLS(t)
	release := make(chan struct{})
	var stuck atomic.Int32
	first := make(chan struct{}, 1)
	first <- struct{}{}
	cert := srv.Certificates[0]
	srv.Certificates = nil
	srv.GetCertificate = func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
		select {
		case <-first: // the established connection's handshake
		default:
			stuck.Add(1)
			<-release
		}
		return &cert, nil
	}
	h := newEchoHandler()
	// Slow machines (Wine) take more than the default 10 s to set up the
	// thousand handshakes that must outlive the round trips.
	e, addrs := launchEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithLoops(1), WithTLS(srv), WithTLSHandshakeTimeout(5*time.Minute), WithTLSHandshakeConcurrency(1001))
	defer e.Stop(t.Context())
	established := tlsDial(t, addrs[0], cli)
	defer established.Close()
	hello := clientHello(t, cli)
	const n = 1000
	var conns []net.Conn
	for range n {
		c, err := dialConn(addrs[0])
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write(hello)
		conns = append(conns, c)
	}
	waitFor(t, func() bool { return stuck.Load() == n })
	for i := range 100 {
		if err := echoRoundTrip(established, uint64(i), 1024); err != nil {
			t.Fatalf("round trip %d with %d handshakes in flight: %v", i, n, err)
		}
	}
	close(release)
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.SetReadDeadline(time.Now().Add(20 * time.Second))
			if _, err := c.Read(make([]byte, 1)); err != nil {
				t.Errorf("no ServerHello after the release: %v", err)
			}
		}()
	}
	wg.Wait()
}

// TestTLSStopEndsHandshakes: Stop closes connections whose handshake
// waits for the client, and their goroutines end.
func TestTLSStopEndsHandshakes(t *testing.T) {
	base := leaktest.Take()
	srv, _ := testTLS(t)
	h := &countingHandler{echoHandler: *newEchoHandler()}
	e, addrs := launchEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithTLS(srv))
	var conns []net.Conn
	for range 50 {
		c, err := dialConn(addrs[0])
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	waitFor(t, func() bool { return e.Stats().Accepted == 50 })
	if err := e.Stop(t.Context()); err != nil {
		t.Fatalf("Stop = %v", err)
	}
	for _, c := range conns {
		readUntilClosed(t, c)
		c.Close()
	}
	if n := h.opens.Load(); n != 0 {
		t.Errorf("OnOpen ran %d times for handshakes that never finished", n)
	}
	if err := base.Check(); err != nil {
		t.Fatal(err)
	}
}

// TestTLSRecordsAByteAtATime: a client whose every byte, handshake
// included, arrives in a write of its own is served as any other.
func TestTLSRecordsAByteAtATime(t *testing.T) {
	srv, cli := testTLS(t)
	h := newEchoHandler()
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithTLS(srv))
	raw := dial(t, addrs[0])
	c := tls.Client(&byteWriter{Conn: raw}, cli)
	c.SetDeadline(time.Now().Add(20 * time.Second))
	if err := echoRoundTrip(c, 7, 2000); err != nil {
		t.Fatal(err)
	}
}

// byteWriter writes one byte per system call.
type byteWriter struct{ net.Conn }

func (w *byteWriter) Write(b []byte) (int, error) {
	for i := range b {
		if _, err := w.Conn.Write(b[i : i+1]); err != nil {
			return i, err
		}
	}
	return len(b), nil
}

// TestTLSHandshakeConcurrency: no more handshakes compute at once than
// WithTLSHandshakeConcurrency allows; those beyond wait, then finish.
func TestTLSHandshakeConcurrency(t *testing.T) {
	srv, cli := testTLS(t)
	release := make(chan struct{})
	var inside, most atomic.Int32
	cert := srv.Certificates[0]
	srv = &tls.Config{GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
		n := inside.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		<-release
		inside.Add(-1)
		return &cert, nil
	}}
	e, addrs := launchEngine(t, newEchoHandler(), []string{"tcp://127.0.0.1:0"}, WithTLS(srv), WithTLSHandshakeConcurrency(2))
	defer e.Stop(t.Context())
	errs := make(chan error, 5)
	for range 5 {
		go func() {
			c, err := dialConn(addrs[0])
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			tc := tls.Client(c, cli)
			tc.SetDeadline(time.Now().Add(20 * time.Second))
			errs <- tc.Handshake()
		}()
	}
	waitFor(t, func() bool { return inside.Load() == 2 })
	time.Sleep(100 * time.Millisecond) // room for a third to get in, were it let
	if n := most.Load(); n != 2 {
		t.Fatalf("%d handshakes computed at once, want 2", n)
	}
	close(release)
	for range 5 {
		if err := <-errs; err != nil {
			t.Fatalf("a handshake that waited its turn: %v", err)
		}
	}
	if _, err := New(quietEcho{}, WithTLSHandshakeConcurrency(0)); err == nil {
		t.Fatal("WithTLSHandshakeConcurrency(0) accepted")
	}
}

// TestTLSPlaintextReply: with WithTLSPlaintextReply, a client whose first
// bytes are not TLS, HTTP or not, reads the reply and then a clean end
// (io.ReadAll's nil error: a reset would fail it), a large request body
// included, since the loop reads and drops what the client sends until it
// ends; a TLS client that fails later gets its alert and no reply, and
// one that succeeds is served. Without the option such a client reads
// nothing before the end.
func TestTLSPlaintextReply(t *testing.T) {
	srv, cli := testTLS(t)
	cli12 := cli.Clone()
	cli12.MaxVersion = tls.VersionTLS12 // its alerts go in the clear
	hello12 := clientHello(t, cli12)
	reply := []byte("HTTP/1.0 400 Bad Request\r\n\r\nnot TLS\n")
	post := append([]byte("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n"), pattern(200000)...)
	for _, tc := range []struct {
		name  string
		send  []byte
		reply bool // the option is on
		want  []byte
		alert bool // the answer ends with a TLS alert record
	}{
		{name: "http", send: []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), reply: true, want: reply},
		{name: "http-no-option", send: []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")},
		{name: "garbage", send: bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 256), reply: true, want: reply},
		{name: "application-data-first", send: []byte{23, 3, 3, 0, 5, 1, 2, 3, 4, 5}, reply: true, want: reply},
		{name: "large-post", send: post, reply: true, want: reply},
		{name: "tls-then-garbage", send: append(append([]byte(nil), hello12...), bytes.Repeat([]byte{0x16, 3, 3, 0, 4, 1, 2, 3, 4}, 8)...), reply: true, alert: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := leaktest.Take()
			h := &countingHandler{echoHandler: *newEchoHandler()}
			opts := []Option{WithTLS(srv)}
			if tc.reply {
				opts = append(opts, WithTLSPlaintextReply(reply))
			}
			e, addrs := launchEngine(t, h, []string{"tcp://127.0.0.1:0"}, opts...)
			c, err := dialConn(addrs[0])
			if err != nil {
				t.Fatal(err)
			}
			wrote := make(chan error, 1)
			go func() { _, err := c.Write(tc.send); wrote <- err }()
			got, err := readUntilClosed(t, c)
			if err := <-wrote; err != nil {
				t.Errorf("the client's write: %v", err)
			}
			c.Close()
			switch {
			case tc.alert:
				if last := lastRecordType(got); last != 21 || bytes.Contains(got, reply) {
					t.Errorf("read %q (last record of type %d); want an alert (21) and no reply", got, last)
				}
			case err != nil || !bytes.Equal(got, tc.want):
				t.Errorf("read %q, %v; want %q and a clean end", got, err, tc.want)
			}
			servesOnAfterOneFailure(t, e, addrs[0], cli, h, base)
		})
	}
}

// TestTLSPlaintextReplyEndlessSender: a client that never stops sending
// still reads the whole reply and the server's FIN; the close linger then
// ends the connection, with a reset, as the client's input is never all
// read.
func TestTLSPlaintextReplyEndlessSender(t *testing.T) {
	srv, _ := testTLS(t)
	reply := []byte("go away\n")
	e, addrs := startEngine(t, newEchoHandler(), []string{"tcp://127.0.0.1:0"}, WithTLS(srv), WithTLSPlaintextReply(reply), WithCloseLinger(300*time.Millisecond))
	c := dial(t, addrs[0])
	wrote := make(chan error, 1)
	go func() {
		chunk := append([]byte("PUT / HTTP/1.1\r\n"), pattern(64<<10)...)
		for {
			c.SetWriteDeadline(time.Now().Add(20 * time.Second))
			if _, err := c.Write(chunk); err != nil {
				wrote <- err
				return
			}
		}
	}()
	got, err := io.ReadAll(io.LimitReader(c, int64(len(reply))+1))
	if err != nil || !bytes.Equal(got, reply) {
		t.Fatalf("read %q, %v; want %q and the end", got, err, reply)
	}
	if err := <-wrote; errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatal("the server still reads after its linger")
	}
	waitFor(t, func() bool { return e.Stats().ClosedTimeout == 1 })
}

// TestListenerTLSPlaintextReply: the listener's reply, or its none, wins
// over the engine's, and a listener that serves no TLS refuses one.
func TestListenerTLSPlaintextReply(t *testing.T) {
	srv, _ := testTLS(t)
	e := newTestEngine(t, newEchoHandler(), WithTLSPlaintextReply([]byte("engine\n")))
	defer e.Stop(t.Context())
	var addrs []net.Addr
	for _, opts := range [][]ListenOption{
		{WithListenerTLS(srv)},
		{WithListenerTLS(srv), WithListenerTLSPlaintextReply([]byte("listener\n"))},
		{WithListenerTLS(srv), WithListenerTLSPlaintextReply(nil)},
	} {
		a, err := e.Listen("tcp://127.0.0.1:0", opts...)
		if err != nil {
			t.Fatal(err)
		}
		addrs = append(addrs, a)
	}
	var oe *OptionError
	if _, err := e.Listen("tcp://127.0.0.1:0", WithListenerTLSPlaintextReply([]byte("x"))); !errors.As(err, &oe) {
		t.Errorf("a plain listener with a reply: %v, want an *OptionError", err)
	}
	if err := e.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"engine\n", "listener\n", ""} {
		c := dial(t, addrs[i])
		c.Write([]byte("GET / HTTP/1.1\r\n\r\n"))
		if got, err := readUntilClosed(t, c); err != nil || string(got) != want {
			t.Errorf("listener %d: read %q, %v; want %q and a clean end", i, got, err, want)
		}
	}
}

// drainCountingHandler counts OnDrain calls and the connections opened.
type drainCountingHandler struct {
	countingHandler
	drains atomic.Int32
}

func (h *drainCountingHandler) OnDrain(c *Conn) Action {
	h.drains.Add(1)
	return None
}

// TestTLSHiddenOutputRunsNoOnDrain: output queued for a connection the
// handler has not heard of (here a plaintext reply far above the
// high-water mark, more than the socket buffers take) drains without OnDrain, which would hand the handler a
// connection it never saw open.
func TestTLSHiddenOutputRunsNoOnDrain(t *testing.T) {
	srv, _ := testTLS(t)
	reply := pattern(16 << 20)
	h := &drainCountingHandler{countingHandler: countingHandler{echoHandler: *newEchoHandler()}}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithTLS(srv), WithTLSPlaintextReply(reply), WithWriteWatermarks(1<<10, 4<<10))
	c := dial(t, addrs[0])
	if _, err := c.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	got, err := readUntilClosed(t, c)
	if err != nil || !bytes.Equal(got, reply) {
		t.Fatalf("read %d bytes, %v; want the %d-byte reply and a clean end", len(got), err, len(reply))
	}
	if n, opens := h.drains.Load(), h.opens.Load(); n != 0 || opens != 0 {
		t.Errorf("OnDrain ran %d times, OnOpen %d times; want neither for a client that never spoke TLS", n, opens)
	}
}
