package http1

import (
	"strings"
	"testing"
)

// sameView reports whether a and b are the same view of one buffer: same
// start, length and capacity.
func sameView(a, b []byte) bool {
	return len(a) == len(b) && cap(a) == cap(b) && (cap(a) == 0 || &a[:1][0] == &b[:1][0])
}

// sameRequest reports how a (from parseHeadFast) differs from b (from
// parseHeadGeneral), or "".
func sameRequest(a, b *Request) string {
	switch {
	case !sameView(a.Method, b.Method):
		return "Method"
	case !sameView(a.Target, b.Target):
		return "Target"
	case !sameView(a.Path, b.Path):
		return "Path"
	case !sameView(a.Query, b.Query):
		return "Query"
	case !sameView(a.Host, b.Host):
		return "Host"
	case a.Minor != b.Minor || a.ContentLength != b.ContentLength || a.Chunked != b.Chunked ||
		a.Close != b.Close || a.ExpectContinue != b.ExpectContinue:
		return "flags"
	case len(a.Headers) != len(b.Headers):
		return "header count"
	}
	for i := range a.Headers {
		if !sameView(a.Headers[i].Name, b.Headers[i].Name) || !sameView(a.Headers[i].Value, b.Headers[i].Value) {
			return "header " + string(b.Headers[i].Name)
		}
	}
	return ""
}

// checkFast fails t if parseHeadFast accepts in where parseHeadGeneral
// does not, or reads it differently; it reports whether the fast path took in.
func checkFast(t *testing.T, in []byte, maxBytes, maxHeaders int) bool {
	t.Helper()
	var fast, general Request
	fast.Reset()
	n, ok := parseHeadFast(in, &fast, maxBytes, maxHeaders)
	if !ok {
		return false
	}
	general.Reset()
	gn, err := parseHeadGeneral(in, &general, maxBytes, maxHeaders)
	if err != nil || gn != n {
		t.Fatalf("%q: fast path took %d bytes, general parser %d, %v", in, n, gn, err)
	}
	if d := sameRequest(&fast, &general); d != "" {
		t.Fatalf("%q: fast path and general parser differ in %s", in, d)
	}
	return true
}

func TestParseHeadFast(t *testing.T) {
	tests := []struct {
		name string
		in   string
		fast bool // whether the fast path takes it
	}{
		{name: "wrk", in: "GET / HTTP/1.1\r\nHost: 127.0.0.1:9000\r\n\r\n", fast: true},
		{name: "browser", in: "GET /p?q=1&r=%2F HTTP/1.1\r\nHost: a\r\nUser-Agent: x\ty \r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n", fast: true},
		{name: "POST with length", in: "POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc", fast: true},
		{name: "chunked", in: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", fast: true},
		{name: "HTTP/1.0 keep-alive", in: "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", fast: true},
		{name: "empty value", in: "GET / HTTP/1.1\r\nHost: a\r\nX-E:\r\nX-F: \t \r\n\r\n", fast: true},
		{name: "obs-text", in: "GET /\xc3\xa9 HTTP/1.1\r\nHost: a\r\nX: caf\xc3\xa9\r\n\r\n", fast: true},
		{name: "query, second ?", in: "GET /a?b?c HTTP/1.1\r\nHost: a\r\n\r\n", fast: true},
		{name: "Host-like names", in: "GET / HTTP/1.1\r\nHostname: a\r\nHOST: b\r\n\r\n", fast: true},
		{name: "Host with a suffix", in: "GET / HTTP/1.1\r\nHosts: a\r\nHost\x7f: b\r\n\r\n"},
		{name: "long value", in: "GET / HTTP/1.1\r\nHost: a\r\nCookie: " + strings.Repeat("abcdefg=", 40) + "\r\n\r\n", fast: true},
		{name: "leading empty line", in: "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "bare LF", in: "GET / HTTP/1.1\nHost: a\n\n"},
		{name: "bare LF ends head", in: "GET / HTTP/1.1\r\nHost: a\r\n\n"},
		{name: "asterisk", in: "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "absolute form", in: "GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "HTTP/2.0", in: "GET / HTTP/2.0\r\nHost: a\r\n\r\n"},
		{name: "bad escape", in: "GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "escape at end", in: "GET /% HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "CR in value", in: "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n"},
		{name: "DEL in value", in: "GET / HTTP/1.1\r\nHost: a\x7fbcdefghij\r\n\r\n"},
		{name: "obs-fold", in: "GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n"},
		{name: "space before colon", in: "GET / HTTP/1.1\r\nHost : a\r\n\r\n"},
		{name: "no host", in: "GET / HTTP/1.1\r\n\r\n"},
		{name: "two lengths", in: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx"},
		{name: "incomplete", in: "GET / HTTP/1.1\r\nHost: a\r\n"},
		{name: "incomplete CR", in: "GET / HTTP/1.1\r\nHost: a\r\n\r"},
		{name: "too many headers", in: "GET / HTTP/1.1\r\nHost: a\r\n" + strings.Repeat("X: y\r\n", 100) + "\r\n"},
		{name: "too large", in: "GET / HTTP/1.1\r\nHost: a\r\nX: " + strings.Repeat("y", DefaultMaxHeaderBytes) + "\r\n\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := checkFast(t, []byte(tc.in), DefaultMaxHeaderBytes, DefaultMaxHeaders); got != tc.fast {
				t.Fatalf("fast path took it: %v, want %v", got, tc.fast)
			}
		})
	}
}

// FuzzParseHeadFast checks that the fast path accepts only what the general
// parser accepts, and reads it identically, under tight limits too.
func FuzzParseHeadFast(f *testing.F) {
	for _, s := range []string{
		"GET / HTTP/1.1\r\nHost: 127.0.0.1:9000\r\n\r\n",
		"GET /p?q=1&r=%2F HTTP/1.1\r\nHost: a\r\nUser-Agent: x\ty \r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n",
		"POST /up HTTP/1.0\r\nContent-Length: 3\r\nConnection: keep-alive, close\r\nExpect: 100-continue\r\n\r\nabc",
		"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\r\nX: caf\xc3\xa9\x7f\r\n\r\n",
	} {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(func(t *testing.T, in []byte, limits uint8) {
		maxBytes, maxHeaders := DefaultMaxHeaderBytes, DefaultMaxHeaders
		if limits != 0 {
			maxBytes, maxHeaders = int(limits), int(limits%8)+1
		}
		checkFast(t, in, maxBytes, maxHeaders)
	})
}

// TestNoteFolding checks that note tells the framing fields apart exactly
// as equalFold does, for every token byte at every position of each name.
func TestNoteFolding(t *testing.T) {
	fields := []struct {
		name, value string
		took        func(*Request) bool
	}{
		{name: "Host", value: "a", took: func(r *Request) bool { return r.Host != nil }},
		{name: "Expect", value: "100-continue", took: func(r *Request) bool { return r.ExpectContinue }},
		{name: "Connection", value: "close", took: func(r *Request) bool { return r.Close }},
		{name: "Content-Length", value: "5", took: func(r *Request) bool { return r.ContentLength == 5 }},
		{name: "Transfer-Encoding", value: "chunked", took: func(r *Request) bool { return r.Chunked }},
	}
	for _, f := range fields {
		for i := range len(f.name) {
			for c := range 256 {
				if !tchar[c] {
					continue
				}
				name := []byte(f.name)
				name[i] = byte(c)
				var hs headerState
				var req Request
				req.Reset()
				req.Minor = 1
				if err := hs.note(Header{Name: name, Value: []byte(f.value)}, &req); err != nil {
					t.Fatalf("%q: %v", name, err)
				}
				if got, want := f.took(&req), equalFold(name, f.name); got != want {
					t.Fatalf("%q: note took it as %s: %v, equalFold says %v", name, f.name, got, want)
				}
			}
		}
	}
}
