package netconn_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os/exec"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sockloop/sockloop/internal/selfsigned"
)

// testMux answers GET /hello, echoes the body of POST /echo, and upgrades
// /upgrade to a raw byte echo over the hijacked connection, as a WebSocket
// library would.
func testMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "Hello, World!")
	})
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(w, r.Body)
	})
	mux.HandleFunc("GET /upgrade", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "echo" {
			http.Error(w, "upgrade to echo", http.StatusUpgradeRequired)
			return
		}
		c, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer c.Close()
		rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
		rw.Flush()
		io.Copy(c, rw) // the bytes bufio read ahead come first
	})
	return mux
}

// serveHTTP runs an http.Server on ln until the test ends, then shuts it
// down gracefully and checks that Serve returned http.ErrServerClosed.
func serveHTTP(t *testing.T, ln net.Listener, tlsConfig *tls.Config) {
	t.Helper()
	srv := &http.Server{Handler: testMux(), TLSConfig: tlsConfig, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			served <- srv.ServeTLS(ln, "", "")
			return
		}
		served <- srv.Serve(ln)
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-served; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve: %v; want http.ErrServerClosed", err)
		}
	})
}

// exercise sends a keep-alive run of requests, a large body both ways, and
// checks that the connection was reused.
func exercise(t *testing.T, client *http.Client, base string) {
	t.Helper()
	var reused atomic.Int32
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		if info.Reused {
			reused.Add(1)
		}
	}}
	for range 5 {
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", base+"/hello", nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || string(body) != "Hello, World!" {
			t.Fatalf("GET /hello: %d %q, %v", resp.StatusCode, body, err)
		}
	}
	if reused.Load() < 4 {
		t.Errorf("%d of 5 requests reused a connection; want keep-alive", reused.Load())
	}
	big := bytes.Repeat([]byte("0123456789abcdef"), 256<<10) // 4 MiB
	resp, err := client.Post(base+"/echo", "application/octet-stream", bytes.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || !bytes.Equal(body, big) {
		t.Fatalf("POST /echo of %d bytes: got %d back, %v", len(big), len(body), err)
	}
}

// TestHTTP serves net/http on a Listener, to Go's client and to curl.
func TestHTTP(t *testing.T) {
	s := startServer(t, nil)
	serveHTTP(t, s.ln, nil)
	base := "http://" + s.ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	exercise(t, client, base)

	t.Run("curl", func(t *testing.T) {
		if _, err := exec.LookPath("curl"); err != nil {
			t.Skip("no curl")
		}
		out, err := exec.Command("curl", "-sS", "--max-time", "30", base+"/hello", base+"/hello").CombinedOutput()
		if err != nil || string(out) != "Hello, World!Hello, World!" {
			t.Fatalf("curl: %q, %v", out, err)
		}
	})
}

// TestHTTPClientThroughLoops runs Go's HTTP client over DialContext, so
// that both ends are Conns on the loops.
func TestHTTPClientThroughLoops(t *testing.T) {
	s := startServer(t, nil)
	serveHTTP(t, s.ln, nil)
	client := &http.Client{Transport: &http.Transport{DialContext: s.h.DialContext}}
	defer client.CloseIdleConnections()
	exercise(t, client, "http://"+s.ln.Addr().String())
}

// TestTLS serves HTTPS: crypto/tls over a Listener's Conns, to a client of
// package net and to one dialing through the loops.
func TestTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	s := startServer(t, nil)
	serveHTTP(t, s.ln, &tls.Config{Certificates: []tls.Certificate{cert}})
	base := "https://" + s.ln.Addr().String()
	for _, tt := range []struct {
		name string
		dial func(ctx context.Context, network, addr string) (net.Conn, error)
	}{
		{name: "net-client", dial: (&net.Dialer{}).DialContext},
		{name: "loop-client", dial: s.h.DialContext},
	} {
		t.Run(tt.name, func(t *testing.T) {
			client := &http.Client{Transport: &http.Transport{
				DialContext:     tt.dial,
				TLSClientConfig: &tls.Config{RootCAs: pool},
			}}
			defer client.CloseIdleConnections()
			exercise(t, client, base)
		})
	}
	t.Run("curl", func(t *testing.T) {
		if _, err := exec.LookPath("curl"); err != nil {
			t.Skip("no curl")
		}
		out, err := exec.Command("curl", "-sS", "-k", "--max-time", "30", base+"/hello").CombinedOutput()
		if err != nil || string(out) != "Hello, World!" {
			t.Fatalf("curl: %q, %v", out, err)
		}
	})
}

// selfSigned makes an ECDSA P-256 certificate for 127.0.0.1 and a pool
// that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	cert, roots, err := selfsigned.New(time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return cert, roots
}

// TestHijack upgrades a request to a raw echo, as a WebSocket handshake
// does, and talks over the hijacked Conn.
func TestHijack(t *testing.T) {
	s := startServer(t, nil)
	serveHTTP(t, s.ln, nil)
	c, err := net.Dial("tcp", s.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// The first frame rides with the request: the server's bufio.Reader
	// has it before the hijack, and must not lose it.
	fmt.Fprint(c, "GET /upgrade HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nfirst;")
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade: %v, %v", resp, err)
	}
	io.WriteString(c, "second")
	want := "first;second"
	got := make([]byte, len(want))
	if _, err := io.ReadFull(br, got); err != nil || string(got) != want {
		t.Fatalf("echo after the upgrade: %q, %v; want %q", got, err, want)
	}
	c.(*net.TCPConn).CloseWrite()
	if rest, err := io.ReadAll(br); err != nil || len(rest) != 0 {
		t.Fatalf("after the client's end: %q, %v; want the server's clean end", rest, err)
	}
}
