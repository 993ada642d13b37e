package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/http1"
	"github.com/sockloop/sockloop/examples/internal/exampletest"
	"github.com/sockloop/sockloop/loop"
)

// TestCommandLine builds the example, serves on a free port and checks plain,
// pipelined, HEAD, unknown and malformed requests with a Go client, then that
// the server exits quietly on SIGINT.
func TestCommandLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	addr := exampletest.FreePort(t)
	srv := exampletest.Start(t, "-addr", addr, "-loops", "2")
	exampletest.DialRetry(t, addr).Close()
	checkServing(t, addr)
	checkErrors(t, addr, false)
	srv.StopQuietly(t)
}

// TestNetHTTP serves with -nethttp (net/http's Server through
// loop/netconn) and checks that it answers as the loop handler does, then
// that the server exits quietly on SIGINT.
func TestNetHTTP(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	addr := exampletest.FreePort(t)
	srv := exampletest.Start(t, "-addr", addr, "-loops", "2", "-nethttp")
	exampletest.DialRetry(t, addr).Close()
	checkServing(t, addr)
	checkErrors(t, addr, true)
	srv.StopQuietly(t)
}

// checkServing checks plain, pipelined, HEAD, unknown and HTTP/1.0
// requests with a Go client.
func checkServing(t *testing.T, addr string) {
	t.Run("get", func(t *testing.T) {
		c := exampletest.DialRetry(t, addr)
		defer c.Close()
		br := bufio.NewReader(c)
		for range 3 { // keep-alive: three requests on one connection
			fmt.Fprint(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
			checkHello(t, br, "GET")
		}
	})
	t.Run("pipelined", func(t *testing.T) {
		c := exampletest.DialRetry(t, addr)
		defer c.Close()
		const n = 64
		var req bytes.Buffer
		for i := range n {
			if i%2 == 0 {
				req.WriteString("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
			} else {
				req.WriteString("GET /plaintext HTTP/1.1\r\nHost: x\r\nUser-Agent: test\r\n\r\n")
			}
		}
		// Split the batch mid-request so that parsing resumes across reads.
		b := req.Bytes()
		c.Write(b[:len(b)/2+7])
		c.Write(b[len(b)/2+7:])
		br := bufio.NewReader(c)
		for range n {
			checkHello(t, br, "GET")
		}
	})
	t.Run("head-404-405-close", func(t *testing.T) {
		c := exampletest.DialRetry(t, addr)
		defer c.Close()
		fmt.Fprint(c, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"+
			"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"+
			"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"+
			"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"+
			"GET / HTTP/1.1\r\nHost: x\r\n\r\n") // after the close: never answered
		br := bufio.NewReader(c)
		checkHello(t, br, "HEAD")
		if r := readResponse(t, br, "GET"); r.StatusCode != 404 {
			t.Errorf("GET /nope: status %d, want 404", r.StatusCode)
		}
		if r := readResponse(t, br, "POST"); r.StatusCode != 405 || r.Header.Get("Allow") == "" {
			t.Errorf("POST /: status %d, Allow %q; want 405 with Allow", r.StatusCode, r.Header.Get("Allow"))
		}
		r := checkHello(t, br, "GET")
		if !r.Close {
			t.Errorf("response to Connection: close lacks Connection: close")
		}
		expectEOF(t, c, br)
	})
	t.Run("chunked-interleaved", func(t *testing.T) {
		// Two connections send chunked bodies a chunk at a time, in turn,
		// then a GET each: every body ends where its chunks say.
		var cs [2]net.Conn
		for i := range cs {
			cs[i] = exampletest.DialRetry(t, addr)
			defer cs[i].Close()
			cs[i].SetReadDeadline(time.Now().Add(10 * time.Second))
			fmt.Fprint(cs[i], "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
		}
		for k := range 200 {
			for i, c := range cs {
				fmt.Fprintf(c, "%x;n=%d\r\n%s\r\n", i+1, k, strings.Repeat("ab", i+1)[:i+1])
			}
		}
		for _, c := range cs {
			fmt.Fprint(c, "0\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
		}
		brs := make([]*bufio.Reader, len(cs))
		for i, c := range cs {
			brs[i] = bufio.NewReader(c)
			if r := readResponse(t, brs[i], "POST"); r.StatusCode != 405 {
				t.Errorf("chunked POST /: status %d, want 405", r.StatusCode)
			}
			checkHello(t, brs[i], "GET")
		}
		// The same head again on each connection, in one write, chunked
		// otherwise: where the first body's walk stopped, this one's only
		// chunk holds what would read as a last chunk and a request.
		data := "0000\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
		for i, c := range cs {
			fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", len(data), data)
			if r := readResponse(t, brs[i], "POST"); r.StatusCode != 405 {
				t.Errorf("second chunked POST /: status %d, want 405", r.StatusCode)
			}
			checkHello(t, brs[i], "GET")
		}
	})
	t.Run("http10", func(t *testing.T) {
		c := exampletest.DialRetry(t, addr)
		defer c.Close()
		fmt.Fprint(c, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n")
		br := bufio.NewReader(c)
		if r := checkHello(t, br, "GET"); r.Close || r.Header.Get("Connection") != "keep-alive" {
			t.Errorf("HTTP/1.0 keep-alive: Connection %q", r.Header.Get("Connection"))
		}
		checkHello(t, br, "GET")
		expectEOF(t, c, br) // HTTP/1.0 without keep-alive closes
	})
}

// checkErrors checks that malformed or oversized requests get their
// status and a closed connection; nethttp: only those net/http's Server
// refuses as well (its limits are not codec/http1's).
func checkErrors(t *testing.T, addr string, nethttp bool) {
	for _, tc := range []struct {
		name, req string
		status    int
		nethttp   bool
	}{
		{"bad-request-line", "GARBAGE\r\n\r\n", 400, true},
		{"missing-host", "GET / HTTP/1.1\r\n\r\n", 400, true},
		{"smuggling", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, false},
		{"header-too-large", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", http1.DefaultMaxHeaderBytes) + "\r\n\r\n", 431, false},
		{"body-too-large", fmt.Sprintf("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", http1.DefaultMaxBodyBytes+1), 413, false},
		// Framing far beyond the data it carries: refused, not buffered.
		{"chunk-extensions", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
			strings.Repeat("1;"+strings.Repeat("e", 4000)+"\r\nx\r\n", 64), 400, false},
	} {
		if nethttp && !tc.nethttp {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			c := exampletest.DialRetry(t, addr)
			defer c.Close()
			c.SetReadDeadline(time.Now().Add(10 * time.Second)) // a request left waiting fails
			// A good request first: the error must come after its answer.
			go io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"+tc.req)
			br := bufio.NewReader(c)
			checkHello(t, br, "GET")
			r := readResponse(t, br, "GET")
			if r.StatusCode != tc.status || !r.Close {
				t.Errorf("status %d close %v; want %d and Connection: close", r.StatusCode, r.Close, tc.status)
			}
			expectEOF(t, c, br)
		})
	}
}

// TestBackend refuses a backend name it does not know and serves on
// io_uring (where the kernel refuses it, the engine runs on epoll instead).
func TestBackend(t *testing.T) {
	srv, c := exampletest.StartIOURing(t)
	br := bufio.NewReader(c)
	for range 3 {
		fmt.Fprint(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		checkHello(t, br, "GET")
	}
	checkErrors(t, c.RemoteAddr().String(), false)
	srv.StopQuietly(t)
}

func readResponse(t *testing.T, br *bufio.Reader, method string) *http.Response {
	t.Helper()
	r, err := http.ReadResponse(br, &http.Request{Method: method})
	if err != nil {
		t.Fatalf("reading response: %v", err)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return r
}

func checkHello(t *testing.T, br *bufio.Reader, method string) *http.Response {
	t.Helper()
	r := readResponse(t, br, method)
	body, _ := io.ReadAll(r.Body)
	want := "Hello, World!"
	if method == "HEAD" {
		want = ""
	}
	if r.StatusCode != 200 || string(body) != want || r.ContentLength != 13 ||
		r.Header.Get("Content-Type") != textPlain {
		t.Fatalf("%s /: %d %q length %d type %q", method, r.StatusCode, body, r.ContentLength, r.Header.Get("Content-Type"))
	}
	if d, err := http.ParseTime(r.Header.Get("Date")); err != nil || time.Since(d).Abs() > time.Minute {
		t.Fatalf("Date %q: %v", r.Header.Get("Date"), err)
	}
	return r
}

// expectEOF checks that the server closed the connection.
func expectEOF(t *testing.T, c net.Conn, br *bufio.Reader) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if b, err := br.ReadByte(); err == nil {
		t.Fatalf("read %q after the last response; want the connection closed", b)
	}
}

// BenchmarkServe measures the handler's per-request cost on an in-memory
// reader: a 16-deep pipeline of the requests wrk sends, parsed and answered
// into the loop's reused buffer. It should report 0 allocs/op.
func BenchmarkServe(b *testing.B) {
	benchServe(b, "GET / HTTP/1.1\r\nHost: 127.0.0.1:9000\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n")
}

// BenchmarkServeWrk is BenchmarkServe with the exact bytes wrk sends for
// "wrk http://127.0.0.1:9000/": the request of the plaintext measurements.
func BenchmarkServeWrk(b *testing.B) {
	benchServe(b, "GET / HTTP/1.1\r\nHost: 127.0.0.1:9000\r\n\r\n")
}

// benchServe serves 16-deep pipelines of one; an op is one request.
func benchServe(b *testing.B, one string) {
	const depth = 16
	batch := []byte(strings.Repeat(one, depth))
	s := &server{}
	ls := newLoopState(time.Now())
	r := codec.NewBytesReader(nil)
	b.ReportAllocs()
	b.SetBytes(int64(len(one)))
	for i := 0; b.Loop(); i++ {
		if i%depth == 0 {
			r.Reset(batch)
			out, closing := s.serve(r, ls, ls.out[:0])
			if closing || len(out) == 0 {
				b.Fatal("bad serve")
			}
			ls.out = out
		}
	}
}

// BenchmarkLoopback runs the handler on an in-process engine and a loopback
// client that sends 16-deep pipelines; allocs/op counts both sides per
// request, and should be 0.
func BenchmarkLoopback(b *testing.B) {
	e, err := loop.New(&server{}, loop.WithLoops(1))
	if err != nil {
		b.Fatal(err)
	}
	a, err := e.Listen("tcp://127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer e.Stop(context.Background())
	c, err := net.Dial("tcp", a.String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	const depth = 16
	one := "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
	batch := []byte(strings.Repeat(one, depth))
	// Learn one batch's answer length (Date has a fixed width).
	c.Write([]byte(one))
	first, _ := http.ReadResponse(bufio.NewReader(c), nil)
	first.Body.Close()
	var head bytes.Buffer
	first.Header.Write(&head)
	respLen := len("HTTP/1.1 200 OK\r\n") + head.Len() + 2 + len(hello)
	buf := make([]byte, depth*respLen)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%depth == 0 {
			if _, err := c.Write(batch); err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadFull(c, buf); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestMain(m *testing.M) { os.Exit(exampletest.Main(m)) }
