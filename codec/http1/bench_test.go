package http1_test

import (
	"testing"
	"time"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/http1"
)

// A request as wrk and browsers send it.
const benchGET = "GET /plaintext HTTP/1.1\r\nHost: localhost:8080\r\n" +
	"User-Agent: Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/120.0\r\n" +
	"Accept: text/plain,text/html;q=0.9,application/xhtml+xml;q=0.9,*/*;q=0.8\r\n" +
	"Accept-Language: en-US,en;q=0.5\r\nConnection: keep-alive\r\n\r\n"

func BenchmarkParseGET(b *testing.B) { benchParse(b, benchGET) }

func BenchmarkParseSimpleGET(b *testing.B) {
	benchParse(b, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
}

func benchParse(b *testing.B, s string) {
	in := []byte(s)
	var p http1.Parser
	var req http1.Request
	r := codec.NewBytesReader(nil)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(in)
		n, err := p.Parse(r, &req)
		if err != nil {
			b.Fatal(err)
		}
		r.Discard(n)
	}
}

func BenchmarkParsePipelined16(b *testing.B) {
	var in []byte
	for range 16 {
		in = append(in, benchGET...)
	}
	var p http1.Parser
	var req http1.Request
	r := codec.NewBytesReader(nil)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(in)
		for r.InboundBuffered() > 0 {
			n, err := p.Parse(r, &req)
			if err != nil {
				b.Fatal(err)
			}
			r.Discard(n)
		}
	}
}

func BenchmarkParseChunked(b *testing.B) {
	in := []byte("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
		"10\r\n0123456789abcdef\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n")
	var p http1.Parser
	var req http1.Request
	r := codec.NewBytesReader(nil)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(in)
		if _, err := p.Parse(r, &req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendResponse(b *testing.B) {
	buf := make([]byte, 0, 512)
	date := http1.AppendDate(nil, time.Now())
	body := []byte("Hello, World!")
	b.ReportAllocs()
	for b.Loop() {
		buf = http1.AppendResponse(buf[:0], 200, date, "text/plain", body)
	}
}
