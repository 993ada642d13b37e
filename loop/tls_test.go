package loop

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/sockloop/sockloop/internal/selfsigned"
)

var (
	testCertOnce sync.Once
	testCert     tls.Certificate
	testRoots    *x509.CertPool
)

// testTLS returns a server config with a self-signed ECDSA P-256
// certificate for 127.0.0.1, ::1 and localhost, and a client config that
// trusts it.
func testTLS(t testing.TB) (server, client *tls.Config) {
	t.Helper()
	testCertOnce.Do(func() {
		var err error
		if testCert, testRoots, err = selfsigned.New(24 * time.Hour); err != nil {
			panic(err)
		}
	})
	server = &tls.Config{Certificates: []tls.Certificate{testCert}}
	client = &tls.Config{RootCAs: testRoots, ServerName: "127.0.0.1"}
	return server, client
}

// tlsDial connects a crypto/tls client to addr and finishes its handshake.
func tlsDial(t *testing.T, addr net.Addr, cfg *tls.Config) *tls.Conn {
	t.Helper()
	raw := dial(t, addr)
	c := tls.Client(raw, cfg)
	c.SetDeadline(time.Now().Add(20 * time.Second))
	if err := c.Handshake(); err != nil {
		t.Fatalf("handshake: %v", err)
	}
	c.SetDeadline(time.Time{})
	return c
}

// tlsEchoHandler echoes plaintext and records what the handler saw.
type tlsEchoHandler struct {
	echoHandler
	opened chan tls.ConnectionState
}

func newTLSEchoHandler() *tlsEchoHandler {
	return &tlsEchoHandler{echoHandler: *newEchoHandler(), opened: make(chan tls.ConnectionState, 1024)}
}

func (h *tlsEchoHandler) OnOpen(c *Conn) ([]byte, Action) {
	st, ok := c.TLSConnectionState()
	if !ok {
		c.Write([]byte("no TLS state in OnOpen"))
	}
	h.opened <- st
	return nil, None
}

// TestTLSEcho: a crypto/tls client gets its bytes back over TLS 1.2 and
// 1.3, with ALPN agreed and the handler seeing the session in OnOpen.
func TestTLSEcho(t *testing.T) {
	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		t.Run(tls.VersionName(version), func(t *testing.T) {
			srv, cli := testTLS(t)
			srv.NextProtos = []string{"h2", "echo/1"}
			cli.NextProtos = []string{"echo/1"}
			cli.MaxVersion = version
			h := newTLSEchoHandler()
			_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithTLS(srv))
			c := tlsDial(t, addrs[0], cli)
			defer c.Close()
			st := <-h.opened
			if st.Version != version || st.NegotiatedProtocol != "echo/1" {
				t.Fatalf("the handler saw version %x, ALPN %q; want %x, echo/1", st.Version, st.NegotiatedProtocol, version)
			}
			for i, size := range []int{1, 100, 16 << 10, 1 << 20} {
				if err := echoRoundTrip(c, uint64(i), size); err != nil {
					t.Fatalf("%d bytes: %v", size, err)
				}
			}
		})
	}
}

// TestTLSCloseSendsCloseNotify: the handler's Close ends the stream with a
// close_notify alert, which a TLS client reads as a clean end; a plain
// FIN without it would be a truncation.
func TestTLSCloseSendsCloseNotify(t *testing.T) {
	srv, cli := testTLS(t)
	cli.MaxVersion = tls.VersionTLS12 // alerts stay visible as such on the wire
	h := &byeHandler{}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithTLS(srv))
	raw := dial(t, addrs[0])
	rec := &recordWatcher{Conn: raw}
	c := tls.Client(rec, cli)
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "bye" {
		t.Fatalf("read %q, %v; want %q and a clean end", got, err, "bye")
	}
	if rec.lastType != 21 {
		t.Fatalf("the last record was of type %d, want an alert (21)", rec.lastType)
	}
}

// byeHandler says bye in OnOpen and closes.
type byeHandler struct{ BaseHandler }

func (byeHandler) OnOpen(c *Conn) ([]byte, Action) { return []byte("bye"), Close }

// recordWatcher notes the content type of the last TLS record it read.
type recordWatcher struct {
	net.Conn
	lastType byte
	header   []byte // the current record's header, as far as it came
	left     int    // bytes of the current record's body still to come
}

func (r *recordWatcher) Read(p []byte) (int, error) {
	n, err := r.Conn.Read(p)
	for b := p[:n]; len(b) > 0; {
		if r.left > 0 {
			k := min(r.left, len(b))
			r.left -= k
			b = b[k:]
			continue
		}
		k := min(5-len(r.header), len(b))
		r.header = append(r.header, b[:k]...)
		b = b[k:]
		if len(r.header) == 5 {
			r.lastType = r.header[0]
			r.left = int(r.header[3])<<8 | int(r.header[4])
			r.header = r.header[:0]
		}
	}
	return n, err
}

// TestTLSDial: a dial with DialTLS handshakes with a crypto/tls server
// before OnOpen, and one to a server whose certificate it does not trust
// fails as a dial.
func TestTLSDial(t *testing.T) {
	srv, cli := testTLS(t)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", srv)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				io.Copy(c, c)
			}()
		}
	}()
	h := &tlsDialer{opened: make(chan string, 4), echoed: make(chan string, 4), failed: make(chan error, 4)}
	e, _ := startEngine(t, h, nil)
	if _, err := e.DialTLS(t.Context(), "tcp", ln.Addr().String(), cli, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case proto := <-h.opened:
		if proto != "" {
			t.Fatalf("ALPN %q", proto)
		}
	case err := <-h.failed:
		t.Fatalf("dial failed: %v", err)
	}
	if got := <-h.echoed; got != "ping" {
		t.Fatalf("echo %q, want ping", got)
	}
	untrusting := &tls.Config{ServerName: "127.0.0.1"} // the system roots only
	if _, err := e.DialTLS(t.Context(), "tcp", ln.Addr().String(), untrusting, nil); err != nil {
		t.Fatal(err)
	}
	var unknown x509.UnknownAuthorityError
	if err := <-h.failed; !errors.As(err, &unknown) {
		t.Fatalf("dial to an untrusted server: %v, want an x509.UnknownAuthorityError", err)
	}
}

type tlsDialer struct {
	BaseHandler
	opened, echoed chan string
	failed         chan error
}

func (h *tlsDialer) OnOpen(c *Conn) ([]byte, Action) {
	st, _ := c.TLSConnectionState()
	h.opened <- st.NegotiatedProtocol
	return []byte("ping"), None
}

func (h *tlsDialer) OnTraffic(c *Conn) Action {
	if b, err := c.Next(4); err == nil {
		h.echoed <- string(b)
		return Close
	}
	return None
}

func (h *tlsDialer) OnDialError(c *Conn, err error) Action {
	h.failed <- err
	return None
}

// BenchmarkTLSEchoRoundTrip sends 64-byte messages over one TLS 1.3
// connection to an echo handler and waits for each echo: the records'
// cost on the loop, without handshakes.
func BenchmarkTLSEchoRoundTrip(b *testing.B) {
	srv, cli := testTLS(b)
	e := newTestEngine(b, quietEcho{}, WithLoops(1), WithTLS(srv))
	addr, err := e.Listen("tcp://127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	if err := e.Start(b.Context()); err != nil {
		b.Fatal(err)
	}
	defer e.Stop(b.Context())
	c, err := tls.Dial("tcp", addr.String(), cli)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	msg := make([]byte, 64)
	buf := make([]byte, 64)
	b.ReportAllocs()
	for b.Loop() {
		c.Write(msg)
		if _, err := io.ReadFull(c, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// frameEcho echoes whole 100-byte frames only, leaving a partial frame
// for the next callback.
type frameEcho struct{ BaseHandler }

func (frameEcho) OnTraffic(c *Conn) Action {
	n := c.InboundBuffered() / 100 * 100
	b, _ := c.Next(n)
	c.Write(b)
	return None
}

// TestTLSInputKeptBetweenCallbacks: plaintext the handler leaves is kept
// for the next callback, whether it was offered in the loop's scratch or
// outgrew it, with read buffers smaller and larger than a record.
func TestTLSInputKeptBetweenCallbacks(t *testing.T) {
	for _, size := range []int{512, 64 << 10, 1 << 20} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			srv, cli := testTLS(t)
			_, addrs := startEngine(t, frameEcho{}, []string{"tcp://127.0.0.1:0"}, WithTLS(srv), WithReadBufferSize(size), WithSocketBuffers(4<<20, 4<<20))
			c := tlsDial(t, addrs[0], cli)
			defer c.Close()
			if err := echoRoundTrip(c, uint64(size), 4_000_000); err != nil { // whole frames
				t.Fatal(err)
			}
		})
	}
}
