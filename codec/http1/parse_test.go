package http1_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/http1"
)

const simpleGET = "GET /plaintext?x=1 HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n"

func TestParse(t *testing.T) {
	tests := []struct {
		name   string
		parser http1.Parser
		in     string
		n      int // 0: all of in
		check  func(*testing.T, *http1.Request)
		err    error
		status int
	}{
		{name: "simple GET", in: simpleGET, check: func(t *testing.T, r *http1.Request) {
			if string(r.Method) != "GET" || string(r.Path) != "/plaintext" || string(r.Query) != "x=1" ||
				string(r.Host) != "localhost" || r.Minor != 1 || r.Close || len(r.Headers) != 2 || r.ContentLength != -1 {
				t.Fatalf("%+v", r)
			}
			if string(r.Header("accept")) != "*/*" || r.Header("X-None") != nil {
				t.Fatalf("Header lookup: %q", r.Header("accept"))
			}
		}},
		{name: "bare LF and leading empty line", in: "\r\nGET / HTTP/1.1\nHost: a\n\n", check: func(t *testing.T, r *http1.Request) {
			if string(r.Target) != "/" || string(r.Host) != "a" {
				t.Fatalf("%+v", r)
			}
		}},
		{name: "content length", in: "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET", n: 53, check: func(t *testing.T, r *http1.Request) {
			if string(r.Body) != "hello" || r.ContentLength != 5 {
				t.Fatalf("body %q", r.Body)
			}
		}},
		{name: "repeated equal lengths", in: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx"},
		{name: "chunked", in: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Trailer: 1\r\n\r\n", check: func(t *testing.T, r *http1.Request) {
			if string(r.Body) != "hello, world!!!" || !r.Chunked || r.ContentLength != -1 {
				t.Fatalf("body %q", r.Body)
			}
		}},
		{name: "HTTP/1.0 closes", in: "GET / HTTP/1.0\r\n\r\n", check: func(t *testing.T, r *http1.Request) {
			if !r.Close || r.Minor != 0 {
				t.Fatalf("%+v", r)
			}
		}},
		{name: "HTTP/1.0 chunked", in: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", err: http1.ErrFraming10, status: 400},
		{name: "HTTP/1.0 keep-alive", in: "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", check: func(t *testing.T, r *http1.Request) {
			if r.Close {
				t.Fatal("Close with keep-alive")
			}
		}},
		{name: "Connection close", in: "GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, close\r\n\r\n", check: func(t *testing.T, r *http1.Request) {
			if !r.Close {
				t.Fatal("not Close")
			}
		}},
		{name: "expect continue", in: "PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n", check: func(t *testing.T, r *http1.Request) {
			if !r.ExpectContinue {
				t.Fatal("no ExpectContinue")
			}
		}},
		{name: "empty", in: "", err: codec.ErrIncomplete},
		{name: "partial head", in: "GET / HTTP/1.1\r\nHost: a\r\n", err: codec.ErrIncomplete},
		{name: "partial body", in: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhel", err: codec.ErrIncomplete},
		{name: "partial chunk", in: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", err: codec.ErrIncomplete},
		{name: "no trailer end", in: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n", err: codec.ErrIncomplete},
		{name: "bad request line", in: "GET /\r\n\r\n", err: http1.ErrRequestLine, status: 400},
		{name: "bad method", in: "G(T / HTTP/1.1\r\n\r\n", err: http1.ErrMethod, status: 400},
		{name: "absolute form", in: "GET http://a/b?c HTTP/1.1\r\nHost: a\r\n\r\n", check: func(t *testing.T, r *http1.Request) {
			if string(r.Path) != "http://a/b" || string(r.Query) != "c" {
				t.Fatalf("%+v", r)
			}
		}},
		{name: "asterisk form", in: "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "authority form", in: "CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n"},
		{name: "percent escapes", in: "GET /a%20b%2F HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "bad percent escape", in: "GET /a%2 HTTP/1.1\r\nHost: a\r\n\r\n", err: http1.ErrTarget, status: 400},
		{name: "relative target", in: "GET index.html HTTP/1.1\r\nHost: a\r\n\r\n", err: http1.ErrTarget, status: 400},
		{name: "space in target", in: "GET / x HTTP/1.1\r\n\r\n", err: http1.ErrRequestLine, status: 400},
		{name: "HTTP/2.0", in: "GET / HTTP/2.0\r\n\r\n", err: http1.ErrVersion, status: 505},
		{name: "missing Host", in: "GET / HTTP/1.1\r\n\r\n", err: http1.ErrMissingHost, status: 400},
		{name: "two Hosts", in: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", err: http1.ErrMissingHost, status: 400},
		{name: "space before colon", in: "GET / HTTP/1.1\r\nHost : a\r\n\r\n", err: http1.ErrHeader, status: 400},
		{name: "no colon", in: "GET / HTTP/1.1\r\nHost\r\n\r\n", err: http1.ErrHeader, status: 400},
		{name: "control byte in value", in: "GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n", err: http1.ErrHeader, status: 400},
		{name: "obs-fold", in: "GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n", err: http1.ErrObsFold, status: 400},
		{name: "bad length", in: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n", err: http1.ErrContentLength, status: 400},
		{name: "conflicting lengths", in: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", err: http1.ErrContentLength, status: 400},
		{name: "length and chunked", in: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", err: http1.ErrLengthAndEncoding, status: 400},
		{name: "gzip only", in: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", err: http1.ErrTransferEncoding, status: 501},
		{name: "bad chunk size", in: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", err: http1.ErrChunk, status: 400},
		{name: "chunk without CRLF", in: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", err: http1.ErrChunk, status: 400},
		{name: "head too large", parser: http1.Parser{MaxHeaderBytes: 64}, in: "GET / HTTP/1.1\r\nHost: a\r\nX: " + strings.Repeat("a", 64), err: http1.ErrHeaderTooLarge, status: 431},
		{name: "head too large, complete", parser: http1.Parser{MaxHeaderBytes: 32}, in: "GET / HTTP/1.1\r\nHost: a\r\nX-Long: 1234567890\r\n\r\n", err: http1.ErrHeaderTooLarge, status: 431},
		{name: "too many headers", parser: http1.Parser{MaxHeaders: 2}, in: "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", err: http1.ErrTooManyHeaders, status: 431},
		{name: "declared body too large", parser: http1.Parser{MaxBodyBytes: 4}, in: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n", err: http1.ErrBodyTooLarge, status: 413},
		{name: "chunked body too large", parser: http1.Parser{MaxBodyBytes: 4}, in: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\n", err: http1.ErrBodyTooLarge, status: 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := codec.NewBytesReader([]byte(tt.in))
			var req http1.Request
			n, err := tt.parser.Parse(r, &req)
			if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if got := http1.Status(err); got != tt.status {
				t.Fatalf("status %d, want %d", got, tt.status)
			}
			if r.InboundBuffered() != len(tt.in) {
				t.Fatal("Parse consumed input")
			}
			if err != nil {
				return
			}
			want := tt.n
			if want == 0 {
				want = len(tt.in)
			}
			if n != want {
				t.Fatalf("n = %d, want %d", n, want)
			}
			if tt.check != nil {
				tt.check(t, &req)
			}
		})
	}
}

func TestPipelined(t *testing.T) {
	in := simpleGET + "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi" + simpleGET
	r := codec.NewBytesReader([]byte(in))
	var p http1.Parser
	var req http1.Request
	var paths []string
	for r.InboundBuffered() > 0 {
		n, err := p.Parse(r, &req)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, string(req.Path)+":"+string(req.Body))
		r.Discard(n)
	}
	if strings.Join(paths, " ") != "/plaintext: /b:hi /plaintext:" {
		t.Fatalf("requests %q", paths)
	}
}

// TestSplitEverywhere feeds every prefix of a request: each must be
// incomplete, and none may consume anything.
func TestSplitEverywhere(t *testing.T) {
	for _, in := range []string{
		simpleGET,
		"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: 1\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc",
	} {
		var p http1.Parser
		var req http1.Request
		for i := range len(in) {
			if _, err := p.Parse(codec.NewBytesReader([]byte(in[:i])), &req); !errors.Is(err, codec.ErrIncomplete) {
				t.Fatalf("prefix %q: %v", in[:i], err)
			}
		}
		if n, err := p.Parse(codec.NewBytesReader([]byte(in)), &req); err != nil || n != len(in) {
			t.Fatalf("whole %q: %d, %v", in, n, err)
		}
	}
}

func TestParseHead(t *testing.T) {
	in := "PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n"
	var p http1.Parser
	var req http1.Request
	r := codec.NewBytesReader([]byte(in))
	if _, err := p.Parse(r, &req); !errors.Is(err, codec.ErrIncomplete) {
		t.Fatalf("Parse: %v", err)
	}
	n, err := p.ParseHead(r, &req)
	if err != nil || n != len(in) || !req.ExpectContinue || req.ContentLength != 10 {
		t.Fatalf("ParseHead = %d, %v, %+v", n, err, req)
	}
	small := http1.Parser{MaxBodyBytes: 5}
	if _, err := small.ParseHead(r, &req); !errors.Is(err, http1.ErrBodyTooLarge) {
		t.Fatalf("ParseHead over the body limit: %v", err)
	}
}

func TestParseAllocs(t *testing.T) {
	in := []byte(simpleGET)
	chunked := []byte("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
	var p http1.Parser
	var req http1.Request
	r := codec.NewBytesReader(nil)
	allocs := testing.AllocsPerRun(100, func() {
		r.Reset(in)
		if _, err := p.Parse(r, &req); err != nil {
			t.Fatal(err)
		}
		r.Reset(chunked)
		if _, err := p.Parse(r, &req); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per request, want 0", allocs)
	}
}

func TestValidValueBytes(t *testing.T) {
	// Every byte, at every position of a long value.
	for c := range 256 {
		for pos := range 17 {
			v := []byte(strings.Repeat("a", 17))
			v[pos] = byte(c)
			in := "GET / HTTP/1.1\r\nHost: a\r\nX: b" + string(v) + "b\r\n\r\n"
			var req http1.Request
			var p http1.Parser
			_, err := p.Parse(codec.NewBytesReader([]byte(in)), &req)
			ok := c >= ' ' && c != 0x7f || c == '\t'
			if c == '\n' || c == '\r' {
				continue // these end the line instead
			}
			if (err == nil) != ok {
				t.Fatalf("byte %#x at %d: %v", c, pos, err)
			}
		}
	}
}
