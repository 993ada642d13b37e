package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/proxyproto"
	"github.com/sockloop/sockloop/examples/internal/exampletest"
)

// upstream is an in-test echo server on Go's net: it echoes each
// connection's bytes and, on EOF, shuts down its own sending side after the
// last echoed byte. With proxyHeader set it first reads a PROXY protocol
// header and reports it on headers.
type upstream struct {
	ln          net.Listener
	proxyHeader bool
	headers     chan proxyproto.Header
}

func startUpstream(t *testing.T, proxyHeader bool) *upstream {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := &upstream{ln: ln, proxyHeader: proxyHeader, headers: make(chan proxyproto.Header, 16)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go u.serve(c.(*net.TCPConn))
		}
	}()
	return u
}

func (u *upstream) serve(c *net.TCPConn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	br := bufio.NewReaderSize(c, 64<<10)
	if u.proxyHeader {
		var buf []byte
		for {
			b, err := br.ReadByte()
			if err != nil {
				return
			}
			buf = append(buf, b)
			var h proxyproto.Header
			n, err := proxyproto.Parse(codec.NewBytesReader(buf), &h)
			if err == nil && n == len(buf) {
				u.headers <- h
				break
			}
			if err != nil && err != codec.ErrIncomplete {
				u.headers <- proxyproto.Header{}
				return
			}
		}
	}
	io.Copy(c, br)
	c.CloseWrite()
}

// TestProxy runs the proxy in front of an in-test echo server and checks
// that bytes come back intact both ways, that a client's half-close reaches
// the upstream and the upstream's comes back, and the PROXY headers.
func TestProxy(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	for _, tc := range []struct {
		name    string
		header  string
		path    string // "" (the loop's relay), "-copy" or "-splice"
		backend string
	}{
		{"plain", "", "", ""}, {"v1", "v1", "", ""}, {"v2", "v2", "", ""},
		{"copy", "", "-copy", ""}, {"copy-v1", "v1", "-copy", ""},
		{"splice", "", "-splice", ""}, {"splice-v2", "v2", "-splice", ""},
		{"io_uring", "", "", "io_uring"}, {"io_uring-copy", "", "-copy", "io_uring"}, {"io_uring-splice-v2", "v2", "-splice", "io_uring"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.path == "-splice" && runtime.GOOS != "linux" {
				t.Skip("splice(2) is Linux's")
			}
			up := startUpstream(t, tc.header != "")
			addr := exampletest.FreePort(t)
			args := []string{"-addr", addr, "-upstream", up.ln.Addr().String(), "-loops", "2"}
			if tc.header != "" {
				args = append(args, "-proxy-protocol", tc.header)
			}
			if tc.path != "" {
				args = append(args, tc.path)
			}
			if tc.backend != "" {
				if runtime.GOOS != "linux" {
					t.Skip("io_uring is Linux's")
				}
				args = append(args, "-backend", tc.backend)
			}
			srv := exampletest.Start(t, args...)

			// Several clients at once, each sending a few MiB while it reads
			// the echo, then half-closing and reading the echo to its EOF.
			var wg sync.WaitGroup
			for i := range 4 {
				size := 1<<20 + i*333_333
				if tc.header == "" && i == 0 {
					size = 16 << 20 // one big transfer: exercises backpressure
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					roundTrip(t, addr, size, uint64(i))
				}()
			}
			wg.Wait()
			if tc.header != "" {
				for range 4 {
					h := <-up.headers
					if h.Version != int(tc.header[1]-'0') || h.Command != proxyproto.Proxy ||
						h.Transport != proxyproto.TCP4 || h.Dest.String() != addr || !h.Source.Addr().IsLoopback() {
						t.Errorf("PROXY header %+v; want version %s from 127.0.0.1 to %s", h, tc.header, addr)
					}
				}
			}

			srv.StopQuietly(t)
		})
	}
}

// roundTrip sends size random bytes through the proxy while reading the
// echo, half-closes, and checks the echo is whole and ends with EOF.
func roundTrip(t *testing.T, addr string, size int, seed uint64) {
	c := exampletest.DialRetry(t, addr).(*net.TCPConn)
	defer c.Close()
	exchange(t, c, size, seed)
}

// halfCloser is a connection that can end its sending side alone.
type halfCloser interface {
	net.Conn
	CloseWrite() error
}

// exchange is roundTrip on a connection already made.
func exchange(t *testing.T, c halfCloser, size int, seed uint64) {
	data := make([]byte, size)
	r := rand.NewChaCha8([32]byte{byte(seed)})
	r.Read(data)
	done := make(chan error, 1)
	go func() {
		// Write in uneven pieces, then pass the half-close on.
		for off := 0; off < len(data); {
			n := min(len(data)-off, 1+int(seed*7919+uint64(off))%100_000)
			if _, err := c.Write(data[off : off+n]); err != nil {
				done <- err
				return
			}
			off += n
		}
		done <- c.CloseWrite()
	}()
	got, err := io.ReadAll(c) // to EOF: the upstream's half-close came back
	if err != nil {
		t.Errorf("client %d: read: %v after %d bytes", seed, err, len(got))
		return
	}
	if err := <-done; err != nil {
		t.Errorf("client %d: write: %v", seed, err)
	}
	if sha256.Sum256(got) != sha256.Sum256(data) {
		t.Errorf("client %d: echo of %d bytes came back as %d different bytes", seed, len(data), len(got))
	}
}

// TestTLSTermination has TLS clients talk through the proxy with -tls to a
// plain upstream: their plaintext arrives, the echo comes back encrypted,
// and each one's close_notify is passed on as a half-close and back.
func TestTLSTermination(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	for _, path := range []string{"", "-copy"} {
		t.Run("relay"+path, func(t *testing.T) {
			up := startUpstream(t, false)
			addr := exampletest.FreePort(t)
			args := []string{"-addr", addr, "-upstream", up.ln.Addr().String(), "-loops", "2", "-tls", "self-signed"}
			if path != "" {
				args = append(args, path)
			}
			srv := exampletest.Start(t, args...)
			var wg sync.WaitGroup
			for i := range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					raw := exampletest.DialRetry(t, addr)
					c := tls.Client(raw, &tls.Config{InsecureSkipVerify: true}) // self-signed
					defer c.Close()
					exchange(t, c, 1<<20+i*100_000, uint64(i))
				}()
			}
			wg.Wait()
			srv.StopQuietly(t)
		})
	}
}

// TestHalfCloseFromUpstream checks the other direction: the upstream sends
// a greeting and shuts its side; the client still gets to send afterwards.
func TestHalfCloseFromUpstream(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
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
		c.SetDeadline(time.Now().Add(20 * time.Second))
		io.WriteString(c, "hello\n")
		c.(*net.TCPConn).CloseWrite()
		b, _ := io.ReadAll(c) // the client's bytes, to its FIN
		got <- string(b)
	}()
	addr := exampletest.FreePort(t)
	cmd := exec.Command(exampletest.Build(t), "-addr", addr, "-upstream", ln.Addr().String(), "-loops", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	c := exampletest.DialRetry(t, addr).(*net.TCPConn)
	defer c.Close()
	b, err := io.ReadAll(c)
	if err != nil || string(b) != "hello\n" {
		t.Fatalf("greeting %q, %v; want hello and EOF", b, err)
	}
	io.WriteString(c, "after the upstream's FIN")
	c.CloseWrite()
	select {
	case s := <-got:
		if s != "after the upstream's FIN" {
			t.Fatalf("upstream got %q", s)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("upstream never got the client's bytes and FIN")
	}
}

// TestSlowClient has the upstream send 8 MiB and FIN at once to a client
// that starts reading late and reads in small pieces: the proxy must hold
// the upstream's bytes back and deliver every one of them, then the EOF.
func TestSlowClient(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	data := make([]byte, 8<<20)
	rand.NewChaCha8([32]byte{42}).Read(data)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(20 * time.Second))
		c.Write(data)
		c.(*net.TCPConn).CloseWrite()
		io.Copy(io.Discard, c)
	}()
	addr := exampletest.FreePort(t)
	cmd := exec.Command(exampletest.Build(t), "-addr", addr, "-upstream", ln.Addr().String(), "-loops", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	c := exampletest.DialRetry(t, addr)
	defer c.Close()
	time.Sleep(200 * time.Millisecond) // let the upstream's bytes pile up
	var got []byte
	buf := make([]byte, 1500)
	for {
		n, err := c.Read(buf)
		got = append(got, buf[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("read after %d bytes: %v", len(got), err)
		}
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("got %d bytes, want the upstream's %d", len(got), len(data))
	}
}

// TestBackpressureStopsUpstream has the upstream send without end to a
// client that never reads: once the client's socket buffers and the proxy's
// output mark are full, the proxy stops reading the upstream, whose writes
// then stall instead of the proxy growing.
func TestBackpressureStopsUpstream(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	type result struct {
		written int
		err     error
	}
	wrote := make(chan result, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			wrote <- result{err: err}
			return
		}
		defer c.Close()
		buf := make([]byte, 64<<10)
		total := 0
		for total < 1<<30 {
			// A write that makes no progress for a second means the proxy
			// stopped reading.
			c.SetWriteDeadline(time.Now().Add(time.Second))
			n, err := c.Write(buf)
			total += n
			if err != nil {
				wrote <- result{total, err}
				return
			}
		}
		wrote <- result{total, nil}
	}()
	addr := exampletest.FreePort(t)
	cmd := exec.Command(exampletest.Build(t), "-addr", addr, "-upstream", ln.Addr().String(), "-loops", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	c := exampletest.DialRetry(t, addr)
	defer c.Close()
	r := <-wrote
	if ne, ok := r.err.(net.Error); !ok || !ne.Timeout() {
		t.Fatalf("the upstream wrote %d bytes to a client that never reads, then %v; want its writes to stall", r.written, r.err)
	}
	// What stalled lies in kernel buffers on the way, not in the proxy.
	if rss := residentKiB(t, cmd.Process.Pid); rss > 64<<10 {
		t.Fatalf("the proxy holds %d KiB resident after the upstream wrote %d bytes", rss, r.written)
	}
}

// residentKiB reads a process's resident memory (VmRSS) from /proc.
func residentKiB(t *testing.T, pid int) int {
	t.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kib, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return kib
		}
	}
	t.Skip("no VmRSS in /proc status")
	return 0
}

// TestUpstreamDown checks that a client is closed when the upstream refuses.
func TestUpstreamDown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	addr, dead := exampletest.FreePort(t), exampletest.FreePort(t)
	cmd := exec.Command(exampletest.Build(t), "-addr", addr, "-upstream", dead, "-loops", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	c := exampletest.DialRetry(t, addr)
	defer c.Close()
	c.Write([]byte("anyone?"))
	b, err := io.ReadAll(c)
	if ne, ok := err.(net.Error); len(b) != 0 || ok && ne.Timeout() {
		t.Fatalf("read %q, %v; want the connection closed", b, err)
	}
}

func TestFlags(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the example")
	}
	for _, args := range [][]string{
		{"-backend", "bogus", "-upstream", "127.0.0.1:1"},
		{"-addr", "127.0.0.1:0"}, // no -upstream
		{"-upstream", "127.0.0.1:1", "-proxy-protocol", "v3"},
		{"-upstream", "127.0.0.1:1", "-splice", "-copy"},
		{"-upstream", "127.0.0.1:1", "-splice", "-tls", "self-signed"},
		{"-upstream", "127.0.0.1:1", "-tls", "missing.pem"},
	} {
		out, err := exec.Command(exampletest.Build(t), args...).CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || len(out) == 0 {
			t.Errorf("%q: %v, %q; want exit status 2 and a message", args, err, out)
		}
	}
}

func TestMain(m *testing.M) { os.Exit(exampletest.Main(m)) }
