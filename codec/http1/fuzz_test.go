package http1_test

import (
	"errors"
	"testing"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/http1"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		simpleGET,
		"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc",
		"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x\r\nabc\r\n0\r\nT: 1\r\n\r\n",
		"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
		"\nGET / HTTP/1.1\nHost: a\n\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		p := http1.Parser{MaxHeaderBytes: 512, MaxHeaders: 8, MaxBodyBytes: 256}
		var req http1.Request
		r := codec.NewBytesReader(in)
		n, err := p.Parse(r, &req)
		if r.InboundBuffered() != len(in) {
			t.Fatal("Parse consumed input")
		}
		var ce *codec.Error
		switch {
		case errors.Is(err, codec.ErrIncomplete):
			if len(in) > 512+256+1024 && !req.Chunked {
				t.Fatalf("incomplete after %d bytes", len(in))
			}
			return
		case errors.As(err, &ce):
			if s := http1.Status(err); s < 400 || s > 505 {
				t.Fatalf("status %d", s)
			}
			return
		case err != nil:
			t.Fatalf("unexpected error %v", err)
		}
		if n <= 0 || n > len(in) || int64(len(req.Body)) > 256 {
			t.Fatalf("n = %d of %d, body %d", n, len(in), len(req.Body))
		}
		// The same request parses the same with more input after it.
		more := append(append([]byte(nil), in[:n]...), simpleGET...)
		var req2 http1.Request
		n2, err := p.Parse(codec.NewBytesReader(more), &req2)
		if err != nil || n2 != n || string(req2.Body) != string(req.Body) || string(req2.Target) != string(req.Target) {
			t.Fatalf("reparse: %d, %v", n2, err)
		}
	})
}
