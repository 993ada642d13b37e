package loop

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestTLSResumption: a client that kept the session ticket of its first
// connection resumes on the second, on TLS 1.2 and 1.3.
func TestTLSResumption(t *testing.T) {
	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		t.Run(tls.VersionName(version), func(t *testing.T) {
			srv, cli := testTLS(t)
			cli.MaxVersion = version
			cli.ClientSessionCache = tls.NewLRUClientSessionCache(4)
			h := newTLSEchoHandler()
			_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithTLS(srv))
			for i, want := range []bool{false, true} {
				c := tlsDial(t, addrs[0], cli)
				// TLS 1.3 tickets come after the handshake: a round trip reads them.
				if err := echoRoundTrip(c, uint64(i), 10); err != nil {
					t.Fatal(err)
				}
				c.Close()
				if st := <-h.opened; st.DidResume != want {
					t.Fatalf("connection %d: DidResume = %v, want %v", i+1, st.DidResume, want)
				}
			}
		})
	}
}

// TestTLSServerNameAndClientCertificates: GetConfigForClient picks a
// config by SNI, one of which demands a client certificate: a client with
// one is served and the handler sees it, a client without one is refused.
func TestTLSServerNameAndClientCertificates(t *testing.T) {
	srv, cli := testTLS(t)
	strict := srv.Clone()
	strict.ClientAuth = tls.RequireAndVerifyClientCert
	strict.ClientCAs = testRoots
	base := &tls.Config{GetConfigForClient: func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		if hello.ServerName == "localhost" {
			return strict, nil
		}
		return srv, nil
	}}
	h := newTLSEchoHandler()
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithTLS(base))

	c := tlsDial(t, addrs[0], cli) // SNI 127.0.0.1 (none sent for an IP): the lenient config
	c.Close()
	if st := <-h.opened; len(st.PeerCertificates) != 0 {
		t.Fatalf("a client certificate where none was asked for")
	}

	withCert := cli.Clone()
	withCert.ServerName = "localhost"
	withCert.Certificates = []tls.Certificate{testCert}
	c = tlsDial(t, addrs[0], withCert)
	if err := echoRoundTrip(c, 1, 100); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if st := <-h.opened; len(st.PeerCertificates) != 1 || st.ServerName != "localhost" {
		t.Fatalf("the handler saw %d client certificates and SNI %q", len(st.PeerCertificates), st.ServerName)
	}

	without := cli.Clone()
	without.ServerName = "localhost"
	raw := dial(t, addrs[0])
	c = tls.Client(raw, without)
	c.SetDeadline(time.Now().Add(20 * time.Second))
	err := c.Handshake()
	if err == nil {
		_, err = c.Read(make([]byte, 1)) // TLS 1.3: the refusal comes after the client's Finished
	}
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("a client without a certificate: %v, want an alert about it", err)
	}
}

// halfCloser answers "done" to an end of input and closes; on "shut" it
// writes "bye", shuts its side and keeps reading.
type halfCloser struct {
	tlsEchoHandler
	got chan string
}

func (h *halfCloser) OnTraffic(c *Conn) Action {
	b, _ := c.Next(-1)
	if string(b) == "shut" {
		c.Write([]byte("bye"))
		c.CloseWrite()
		return None
	}
	h.got <- string(b)
	return None
}

func (h *halfCloser) OnReadEOF(c *Conn) Action {
	c.Write([]byte("done"))
	return Close
}

// TestTLSHalfClose: a client's close_notify is an end of input to which
// the handler may still answer, and the handler's CloseWrite sends
// close_notify while it goes on reading.
func TestTLSHalfClose(t *testing.T) {
	srv, cli := testTLS(t)
	h := &halfCloser{tlsEchoHandler: *newTLSEchoHandler(), got: make(chan string, 4)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithTLS(srv))

	c := tlsDial(t, addrs[0], cli)
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(c); err != nil || string(got) != "done" {
		t.Fatalf("after the client's close_notify: %q, %v; want done and a clean end", got, err)
	}
	c.Close()

	c = tlsDial(t, addrs[0], cli)
	c.Write([]byte("shut"))
	if got, err := io.ReadAll(c); err != nil || string(got) != "bye" {
		t.Fatalf("after the server's CloseWrite: %q, %v; want bye and a clean end", got, err)
	}
	if _, err := c.Write([]byte("still here")); err != nil {
		t.Fatal(err)
	}
	if got := <-h.got; got != "still here" {
		t.Fatalf("the server read %q after its CloseWrite", got)
	}
	c.Close()
}

// TestTLSBackpressure: a client that sends and never reads fills the
// server's output to the high-water mark and no further; reading stops.
func TestTLSBackpressure(t *testing.T) {
	srv, cli := testTLS(t)
	h := newEchoHandler()
	e, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithTLS(srv), WithWriteWatermarks(16<<10, 64<<10), WithSocketBuffers(64<<10, 64<<10))
	raw := dial(t, addrs[0]).(*net.TCPConn)
	raw.SetReadBuffer(64 << 10)
	c := tls.Client(raw, cli)
	sent := writeUntilStalled(t, c)
	if sent > 64<<20 {
		t.Fatalf("the server took %d bytes from a client that never reads", sent)
	}
	if st := e.Stats(); st.Paused == 0 {
		t.Fatal("the server never paused reading")
	}
	var queued int
	for _, l := range e.Loops() {
		done := make(chan int)
		l.Submit(func() {
			n := 0
			for c := range l.Conns() {
				n += c.OutboundBuffered()
			}
			done <- n
		})
		queued += <-done
	}
	// One read's worth may land on top of the high-water mark before
	// reading stops: its plaintext, plus a record's overhead each.
	if limit := 64<<10 + 2*(64<<10); queued > limit {
		t.Fatalf("%d bytes queued, want at most %d", queued, limit)
	}
	raw.Close() // the server's output is dropped with the connection, before Stop
	waitClose(t, h.closes)
}

// starttlsHandler answers "STARTTLS" with "GO" and switches to TLS, then
// echoes.
type starttlsHandler struct {
	echoHandler
	cfg *tls.Config
}

func (h *starttlsHandler) OnTraffic(c *Conn) Action {
	if _, ok := c.TLSConnectionState(); ok || c.Context() != nil {
		return h.echoHandler.OnTraffic(c)
	}
	line, err := c.Next(len("STARTTLS\n"))
	if err != nil {
		return None
	}
	if string(line) != "STARTTLS\n" {
		return Close
	}
	c.Write([]byte("GO\n"))
	c.SetContext(true)
	if err := c.StartTLS(h.cfg, true); err != nil {
		c.Write([]byte(err.Error()))
		return Close
	}
	return None
}

// startTLSClient asks addr to switch to TLS as starttlsHandler expects and
// returns the client side of the switch, its handshake not yet made.
func startTLSClient(t *testing.T, addr net.Addr, cli *tls.Config) *tls.Conn {
	t.Helper()
	raw := dial(t, addr)
	raw.Write([]byte("STARTTLS\n"))
	got := make([]byte, 3)
	if _, err := io.ReadFull(raw, got); err != nil || string(got) != "GO\n" {
		t.Fatalf("read %q, %v; want GO", got, err)
	}
	c := tls.Client(raw, cli)
	c.SetDeadline(time.Now().Add(20 * time.Second))
	return c
}

// TestStartTLS: a plain connection switches to TLS mid-stream; what the
// handler writes before the switch goes in the clear, what follows is
// encrypted, and a second StartTLS is refused.
func TestStartTLS(t *testing.T) {
	srv, cli := testTLS(t)
	h := &starttlsHandler{echoHandler: *newEchoHandler(), cfg: srv}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
	c := startTLSClient(t, addrs[0], cli)
	if err := echoRoundTrip(c, 3, 100<<10); err != nil {
		t.Fatal(err)
	}
}

// TestLoopDialTLSWritesEarly: what a loop writes on a TLS dial before it
// opens leaves after OnOpen's bytes, encrypted.
func TestLoopDialTLSWritesEarly(t *testing.T) {
	srv, cli := testTLS(t)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", srv)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		b, _ := io.ReadAll(c)
		got <- string(b)
	}()
	h := &tlsDialer{opened: make(chan string, 4), echoed: make(chan string, 4), failed: make(chan error, 4)}
	e, _ := startEngine(t, h, nil)
	e.Loops()[0].Submit(func() {
		c, err := e.Loops()[0].DialTLS(t.Context(), "tcp", ln.Addr().String(), cli, nil)
		if err != nil {
			h.failed <- err
			return
		}
		c.Write([]byte(" early"))
		c.CloseWrite()
	})
	select {
	case err := <-h.failed:
		t.Fatal(err)
	case <-h.opened:
	}
	if s := <-got; s != "ping early" {
		t.Fatalf("the server read %q, want %q", s, "ping early")
	}
}

// TestTLSUnsupportedCalls: what TLS cannot carry is refused with an error.
func TestTLSUnsupportedCalls(t *testing.T) {
	srv, cli := testTLS(t)
	errs := make(chan error, 2)
	h := &callbackHandler{onOpen: func(c *Conn) {
		errs <- c.StartTLS(srv, true)
		errs <- c.Splice(c)
	}}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithTLS(srv))
	tlsDial(t, addrs[0], cli)
	for _, call := range []string{"a second StartTLS", "Splice"} {
		if err := <-errs; !errors.Is(err, errTLSUnsupported) {
			t.Errorf("%s: %v, want an error wrapping %v", call, err, errTLSUnsupported)
		}
	}
	if _, err := New(h, WithTLS(nil)); err == nil {
		t.Error("WithTLS(nil) accepted")
	}
	e := newTestEngine(t, h)
	defer e.Stop(t.Context())
	if _, err := e.Listen("udp://127.0.0.1:0", WithListenerTLS(srv)); err == nil {
		t.Error("WithListenerTLS on a datagram listener accepted")
	}
}

type callbackHandler struct {
	BaseHandler
	onOpen func(c *Conn)
}

func (h *callbackHandler) OnOpen(c *Conn) ([]byte, Action) {
	h.onOpen(c)
	return nil, None
}

// TestTLSTimeoutsAndStop: the idle timeout counts from the handshake's end
// and closes a TLS connection as a plain one; Stop ends an established
// one with close_notify, which its client reads as a clean end.
func TestTLSTimeoutsAndStop(t *testing.T) {
	srv, cli := testTLS(t)
	h := newTLSEchoHandler()
	e, addrs := launchEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithTLS(srv), WithIdleTimeout(300*time.Millisecond))
	idle := tlsDial(t, addrs[0], cli)
	if err := waitClose(t, h.closes); !errors.Is(err, ErrIdleTimeout) {
		t.Fatalf("an idle TLS connection closed with %v, want ErrIdleTimeout", err)
	}
	idle.Close()

	cli.MaxVersion = tls.VersionTLS12 // alerts stay visible as such on the wire
	rec := &recordWatcher{Conn: dial(t, addrs[0])}
	busy := tls.Client(rec, cli)
	if err := echoRoundTrip(busy, 1, 10); err != nil {
		t.Fatal(err)
	}
	if err := e.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	busy.SetReadDeadline(time.Now().Add(20 * time.Second))
	if n, err := busy.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Fatalf("after Stop the client read %d, %v; want a clean end", n, err)
	}
	if rec.lastType != 21 {
		t.Fatalf("the last record after Stop was of type %d, want an alert (21)", rec.lastType)
	}
}

// TestTLSHandshakeCallbacksSeeAddresses: a GetCertificate running on the
// handshake's goroutine finds both addresses on ClientHelloInfo.Conn.
func TestTLSHandshakeCallbacksSeeAddresses(t *testing.T) {
	srv, cli := testTLS(t)
	cert := srv.Certificates[0]
	seen := make(chan [2]string, 1)
	srv = &tls.Config{GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
		seen <- [2]string{hello.Conn.LocalAddr().String(), hello.Conn.RemoteAddr().String()}
		return &cert, nil
	}}
	_, addrs := startEngine(t, newEchoHandler(), []string{"tcp://127.0.0.1:0"}, WithTLS(srv))
	c := tlsDial(t, addrs[0], cli)
	defer c.Close()
	got := <-seen
	if want := [2]string{addrs[0].String(), c.LocalAddr().String()}; got != want {
		t.Fatalf("GetCertificate saw local, remote %v; want %v", got, want)
	}
}

// TestTLSSendFile: SendFile on a TLS connection sends the file's range
// encrypted, in order between the writes around it, then CloseWrite's
// close_notify; the output queue stays near the high-water mark however
// large the file. A file shorter than its range closes the connection.
func TestTLSSendFile(t *testing.T) {
	srv, cli := testTLS(t)
	data := pattern(6 << 20)
	f := tempFile(t, data)
	for _, tc := range []struct {
		name          string
		offset, count int64
	}{
		{name: "whole file", offset: 0, count: int64(len(data))},
		{name: "middle range", offset: 12345, count: 1 << 20},
		{name: "empty range", offset: 10, count: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &fileServer{f: f, offset: tc.offset, count: tc.count, done: make(chan error, 1), closes: make(chan error, 1)}
			e, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithTLS(srv), WithWriteWatermarks(16<<10, 64<<10))
			c := tls.Client(dial(t, addrs[0]), cli)
			c.SetDeadline(time.Now().Add(20 * time.Second))
			var most int
			got := make([]byte, 0, len(data))
			buf := make([]byte, 32<<10)
			for {
				n, err := c.Read(buf)
				got = append(got, buf[:n]...)
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(got) < 1<<20 {
					continue
				}
				queued := make(chan int)
				e.Loops()[0].Submit(func() {
					n := 0
					for c := range e.Loops()[0].Conns() {
						n += c.OutboundBuffered()
					}
					queued <- n
				})
				most = max(most, <-queued)
			}
			want := append(append([]byte("header|"), data[tc.offset:tc.offset+tc.count]...), "|trailer"...)
			if !bytes.Equal(got, want) {
				t.Fatalf("received %d bytes, want %d: header, the file range, trailer", len(got), len(want))
			}
			if err := <-h.done; err != nil {
				t.Fatalf("SendFile completion: %v", err)
			}
			if limit := 64<<10 + 2*maxTLSRecord; most > limit {
				t.Fatalf("%d bytes queued at most, want at most %d", most, limit)
			}
		})
	}
	t.Run("beyond the end", func(t *testing.T) {
		short := tempFile(t, pattern(1000))
		h := &fileServer{f: short, offset: 500, count: 1000, done: make(chan error, 1), closes: make(chan error, 1)}
		_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithTLS(srv))
		c := tls.Client(dial(t, addrs[0]), cli)
		c.SetDeadline(time.Now().Add(20 * time.Second))
		got, err := io.ReadAll(c)
		if err == nil || bytes.HasSuffix(got, []byte("|trailer")) {
			t.Fatalf("read %d bytes, then %v: the trailer must not follow a short file, nor a clean end", len(got), err)
		}
		if err := <-h.done; !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("SendFile completion = %v, want io.ErrUnexpectedEOF", err)
		}
	})
}

// TestTLSEndOfInputDuringHandshake: a client whose request and FIN arrive
// while the server's handshake goroutine is still busy gets its answer
// and the end, not a connection left waiting.
func TestTLSEndOfInputDuringHandshake(t *testing.T) {
	srv, cli := testTLS(t)
	srv.VerifyConnection = func(tls.ConnectionState) error {
		time.Sleep(200 * time.Millisecond) // the client's bytes and FIN arrive meanwhile
		return nil
	}
	h := newEchoHandler()
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithTLS(srv))
	raw := dial(t, addrs[0])
	c := tls.Client(raw, cli)
	c.SetDeadline(time.Now().Add(20 * time.Second))
	if err := c.Handshake(); err != nil {
		t.Fatal(err)
	}
	c.Write([]byte("last words"))
	raw.(*net.TCPConn).CloseWrite()
	got, err := io.ReadAll(c)
	if string(got) != "last words" || err != nil {
		t.Fatalf("read %q, %v; want the echo and a clean end", got, err)
	}
}

// closingStartTLS switches to TLS, writes a farewell and closes, all in the
// callback that got STARTTLS.
type closingStartTLS struct {
	BaseHandler
	cfg     *tls.Config
	traffic atomic.Int32
	closes  chan error
}

func (h *closingStartTLS) OnTraffic(c *Conn) Action {
	h.traffic.Add(1)
	c.Next(-1)
	c.Write([]byte("GO\n"))
	if err := c.StartTLS(h.cfg, true); err != nil {
		return Close
	}
	c.Write([]byte("bye over TLS"))
	c.Close()
	return None
}

func (h *closingStartTLS) OnClose(c *Conn, err error) Action {
	h.closes <- err
	return None
}

// TestStartTLSThenClose: a Close right after StartTLS waits for the
// handshake, sends what was written after the switch, encrypted, and ends
// with close_notify; what the client sends meanwhile never reaches the
// handler that asked to close.
func TestStartTLSThenClose(t *testing.T) {
	srv, cli := testTLS(t)
	h := &closingStartTLS{cfg: srv, closes: make(chan error, 1)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
	c := startTLSClient(t, addrs[0], cli)
	if _, err := c.Write([]byte("late")); err != nil { // right behind the client's Finished
		t.Fatal(err)
	}
	rest, err := io.ReadAll(c)
	if err != nil || string(rest) != "bye over TLS" {
		t.Fatalf("read %q, %v; want the farewell and close_notify", rest, err)
	}
	if err := waitClose(t, h.closes); err != nil {
		t.Fatalf("OnClose err = %v, want nil", err)
	}
	if n := h.traffic.Load(); n != 1 {
		t.Errorf("OnTraffic ran %d times, want once: the close was asked in the first", n)
	}
}
