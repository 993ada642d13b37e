package http1_test

import (
	"testing"
	"time"

	"github.com/sockloop/sockloop/codec/http1"
)

func TestAppendResponse(t *testing.T) {
	date := http1.AppendDate(nil, time.Date(2026, 11, 25, 3, 4, 5, 0, time.FixedZone("X", 3600)))
	if string(date) != "Wed, 25 Nov 2026 02:04:05 GMT" {
		t.Fatalf("date %q", date)
	}
	got := http1.AppendResponse(nil, 200, date, "text/plain", []byte("Hello, World!"),
		http1.Header{Name: []byte("Server"), Value: []byte("sockloop")})
	want := "HTTP/1.1 200 OK\r\nDate: Wed, 25 Nov 2026 02:04:05 GMT\r\nContent-Type: text/plain\r\n" +
		"Content-Length: 13\r\nServer: sockloop\r\n\r\nHello, World!"
	if string(got) != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if got := http1.AppendResponse(nil, 204, nil, "", nil); string(got) != "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n" {
		t.Fatalf("bare: %q", got)
	}
	buf := make([]byte, 0, 512)
	body := []byte("Hello, World!")
	if n := testing.AllocsPerRun(100, func() { http1.AppendResponse(buf[:0], 200, date, "text/plain", body) }); n != 0 {
		t.Fatalf("%v allocations, want 0", n)
	}
}

func TestAppendError(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{err: http1.ErrHeaderTooLarge, want: "HTTP/1.1 431 Request Header Fields Too Large\r\n"},
		{err: http1.ErrBodyTooLarge, want: "HTTP/1.1 413 Content Too Large\r\n"},
		{err: http1.ErrHeader, want: "HTTP/1.1 400 Bad Request\r\n"},
		{err: http1.ErrTransferEncoding, want: "HTTP/1.1 501 Not Implemented\r\n"},
	}
	for _, tt := range tests {
		got := string(http1.AppendError(nil, tt.err))
		if len(got) < len(tt.want) || got[:len(tt.want)] != tt.want {
			t.Errorf("%v: %q", tt.err, got)
		}
	}
	want := "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: 12\r\n\r\nBad Request\n"
	if got := string(http1.AppendError(nil, http1.ErrMethod)); got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}
