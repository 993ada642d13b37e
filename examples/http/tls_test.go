package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sockloop/sockloop/examples/internal/exampletest"
	"github.com/sockloop/sockloop/examples/internal/tlsflag"
)

// writeCert writes a fresh self-signed certificate and its key as PEM
// files and returns their paths and a pool that trusts the certificate.
func writeCert(t *testing.T) (certFile, keyFile string, roots *x509.CertPool) {
	t.Helper()
	cert, err := tlsflag.NewSelfSigned()
	if err != nil {
		t.Fatal(err)
	}
	key, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}), 0o600); err != nil {
		t.Fatal(err)
	}
	roots = x509.NewCertPool()
	leaf, _ := x509.ParseCertificate(cert.Certificate[0])
	roots.AddCert(leaf)
	return certFile, keyFile, roots
}

// needTool skips unless name is installed; CI installs every one.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed", name)
	}
	return path
}

// TestHTTPS serves -tls CERT,KEY, on each backend and with -nethttp, to
// real clients: Go's, curl, openssl s_client on TLS 1.2 and 1.3, CPython's
// ssl module, which insists on close_notify at the end, and wrk; and a
// plain HTTP client gets net/http's 400 in the clear.
func TestHTTPS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	certFile, keyFile, roots := writeCert(t)
	for _, mode := range [][]string{
		{"-backend", "epoll"},
		{"-backend", "io_uring"},
		{"-nethttp"},
	} {
		t.Run(strings.Join(mode, ""), func(t *testing.T) {
			addr := exampletest.FreePort(t)
			srv := exampletest.Start(t, append([]string{"-addr", addr, "-loops", "2", "-tls", certFile + "," + keyFile}, mode...)...)
			exampletest.DialRetry(t, addr).Close()
			url := "https://" + addr + "/"
			// A handshake that stalls after its first byte, checked at the
			// end: by then the server must have closed it (10 s).
			stalled := exampletest.DialRetry(t, addr)
			defer stalled.Close()
			stalled.Write([]byte{0x16})
			stalledAt := time.Now()

			// wrk first: it leaves when its time is up, resetting connections
			// with answers still on their way, and the server must have served
			// those ends before the interrupt, or it reports output dropped.
			t.Run("wrk", func(t *testing.T) {
				wrk := needTool(t, "wrk")
				out, err := runBounded(exec.Command(wrk, "-t1", "-c8", "-d1s", url))
				if err != nil {
					t.Fatalf("wrk: %v\n%s", err, out)
				}
				m := regexp.MustCompile(`(\d+) requests in`).FindSubmatch(out)
				if m == nil || bytes.Contains(out, []byte("Socket errors")) || bytes.Contains(out, []byte("Non-2xx")) {
					t.Fatalf("wrk reports errors or no requests:\n%s", out)
				}
				if n, _ := strconv.Atoi(string(m[1])); n == 0 {
					t.Fatalf("wrk made no request:\n%s", out)
				}
			})
			t.Run("go", func(t *testing.T) {
				client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, NextProtos: []string{"http/1.1"}}}}
				defer client.CloseIdleConnections()
				for range 3 { // one connection, kept alive
					resp, err := client.Get(url)
					if err != nil {
						t.Fatal(err)
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 || string(body) != string(hello) || resp.TLS == nil || resp.TLS.NegotiatedProtocol != "http/1.1" {
						t.Fatalf("status %d, body %q, TLS %+v", resp.StatusCode, body, resp.TLS)
					}
				}
			})
			t.Run("curl", func(t *testing.T) {
				curl := needTool(t, "curl")
				out, err := exec.Command(curl, "-sS", "--max-time", "20", "--cacert", certFile, url, url+"plaintext").CombinedOutput()
				if err != nil || string(out) != string(hello)+string(hello) {
					t.Fatalf("curl: %v: %q", err, out)
				}
			})
			for _, version := range []string{"-tls1_2", "-tls1_3"} {
				t.Run("openssl"+version, func(t *testing.T) {
					openssl := needTool(t, "openssl")
					cmd := exec.Command(openssl, "s_client", "-connect", addr, version, "-CAfile", certFile, "-verify_return_error", "-ign_eof", "-alpn", "http/1.1")
					cmd.Stdin = strings.NewReader("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
					out, err := runBounded(cmd)
					if err != nil || !bytes.Contains(out, hello) || !bytes.Contains(out, []byte("Verify return code: 0 (ok)")) {
						t.Fatalf("openssl s_client %s: %v\n%s", version, err, out)
					}
				})
			}
			t.Run("plaintext", func(t *testing.T) {
				c := exampletest.DialRetry(t, addr)
				defer c.Close()
				c.Write([]byte("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"))
				got, err := io.ReadAll(c)
				if err != nil || string(got) != string(plainToTLS) {
					t.Fatalf("a plain HTTP request to the TLS port: read %q, %v; want %q and a clean end", got, err, plainToTLS)
				}
			})
			t.Run("python", func(t *testing.T) {
				python := needTool(t, "python3")
				_, port, _ := strings.Cut(addr, ":")
				cmd := exec.Command(python, "-c", pythonClient, port, certFile)
				out, err := runBounded(cmd)
				if err != nil || !bytes.HasSuffix(out, hello) {
					t.Fatalf("python ssl: %v\n%s", err, out)
				}
			})
			t.Run("stalled", func(t *testing.T) {
				// 30 s after the stall began, and a moment to read the end
				// the server sent long before, however long the checks took.
				stalled.SetReadDeadline(later(stalledAt.Add(30*time.Second), time.Now().Add(2*time.Second)))
				n, err := stalled.Read(make([]byte, 1))
				if ne, ok := err.(net.Error); ok && ne.Timeout() {
					t.Fatalf("a handshake stalled for 30 s is still open")
				}
				if n != 0 {
					t.Fatalf("a stalled handshake read %d bytes, %v; want it closed", n, err)
				}
			})
			srv.StopQuietly(t)
		})
	}
}

// later is the later of two times.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// pythonClient sends a request with CPython's ssl module, trusting the
// certificate file, and prints the body; a stream that ends without
// close_notify raises (suppress_ragged_eofs=False).
const pythonClient = `
import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20) as raw:
    with ctx.wrap_socket(raw, server_hostname="127.0.0.1", suppress_ragged_eofs=False) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        sys.stdout.write(data.split(b"\r\n\r\n", 1)[1].decode())
`

// runBounded runs cmd for at most 30 seconds and returns its output.
func runBounded(cmd *exec.Cmd) ([]byte, error) {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.Bytes(), err
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
		return out.Bytes(), os.ErrDeadlineExceeded
	}
}

// TestHTTPSSelfSigned starts with -tls self-signed and answers a client
// that does not verify, as curl -k does.
func TestHTTPSSelfSigned(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	addr := exampletest.FreePort(t)
	srv := exampletest.Start(t, "-addr", addr, "-loops", "1", "-tls", "self-signed")
	exampletest.DialRetry(t, addr).Close()
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	defer client.CloseIdleConnections()
	resp, err := client.Get("https://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != string(hello) {
		t.Fatalf("body %q", body)
	}
	srv.StopQuietly(t)
}
