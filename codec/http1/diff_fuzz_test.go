package http1_test

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/http1"
)

// FuzzParseVsNetHTTP checks that whatever Parse accepts, net/http's
// ReadRequest accepts too and reads the same way.
func FuzzParseVsNetHTTP(f *testing.F) {
	f.Add([]byte(simpleGET))
	f.Add([]byte("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"))
	f.Add([]byte("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x\r\nabc\r\n0\r\nT: 1\r\n\r\n"))
	f.Add([]byte("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		var p http1.Parser
		var req http1.Request
		n, err := p.Parse(codec.NewBytesReader(in), &req)
		if err != nil {
			return
		}
		// net/http does not skip the empty lines RFC 9112 lets a server
		// ignore before a request.
		hr, herr := http.ReadRequest(bufio.NewReader(bytes.NewReader(bytes.TrimLeft(in[:n], "\r\n"))))
		if herr != nil {
			t.Fatalf("we accept %q, net/http says %v", in[:n], herr)
		}
		body, berr := io.ReadAll(hr.Body)
		if berr != nil && !errors.Is(berr, io.ErrUnexpectedEOF) {
			t.Fatalf("net/http body: %v", berr)
		}
		if hr.Method != string(req.Method) || hr.RequestURI != string(req.Target) || !bytes.Equal(body, req.Body) || hr.Close != req.Close {
			t.Fatalf("%q: net/http %s %s body %q close %v; we %s %s body %q close %v",
				in[:n], hr.Method, hr.RequestURI, body, hr.Close, req.Method, req.Target, req.Body, req.Close)
		}
	})
}
