//go:build linux

package bench

import (
	"fmt"
	"net"
	"testing"
)

// TestHTTPClient runs the HTTP client against every plaintext server, one
// connection and several, and checks the answers' counts.
func TestHTTPClient(t *testing.T) {
	for _, sk := range httpServerKinds() {
		for _, conns := range []int{1, 8} {
			t.Run(fmt.Sprintf("server=%s/conns=%d", sk.name, conns), func(t *testing.T) {
				srv := startServer(t, sk)
				c, err := DialHTTP(srv.Addr(), conns, 16)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				for _, n := range []int{3, 16*conns + 5} {
					if err := c.Run(n); err != nil {
						t.Fatalf("Run(%d): %v", n, err)
					}
				}
			})
		}
	}
}

// TestHTTPClientRejects checks that a wrong answer fails the run.
func TestHTTPClientRejects(t *testing.T) {
	const date = "Date: Mon, 02 Jan 2006 15:04:05 GMT\r\nContent-Type: text/plain\r\n"
	for _, tc := range []struct {
		name, answer string
	}{
		{name: "status", answer: "HTTP/1.1 500 Internal Server Error\r\n" + date + "Content-Length: 13\r\n\r\nHello, World!"},
		{name: "body", answer: "HTTP/1.1 200 OK\r\n" + date + "Content-Length: 13\r\n\r\nHello, world!"},
		{name: "length", answer: "HTTP/1.1 200 OK\r\n" + date + "Content-Length: 12\r\n\r\nHello, World"},
		{name: "no date", answer: "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!"},
		{name: "extra", answer: "HTTP/1.1 200 OK\r\n" + date + "Content-Length: 13\r\n\r\nHello, World!HTTP/1.1 200 OK\r\n" + date + "Content-Length: 13\r\n\r\nHello, World!"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// One answer per read, whatever was asked: each test sends
			// one request at a time.
			srv, err := startNet(func(c net.Conn) {
				buf := make([]byte, 4096)
				for {
					if _, err := c.Read(buf); err != nil {
						return
					}
					if _, err := c.Write([]byte(tc.answer)); err != nil {
						return
					}
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			c, err := DialHTTP(srv.Addr(), 1, 1)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := c.Run(2); err == nil {
				t.Fatalf("answer %q accepted", tc.answer)
			}
		})
	}
}

// TestHTTPClientAllocatesNothing checks that Run allocates nothing per
// request, so that allocs/op is the server's.
func TestHTTPClientAllocatesNothing(t *testing.T) {
	srv, err := startNetHTTP()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := DialHTTP(srv.Addr(), 4, 16)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Run(256); err != nil {
		t.Fatal(err)
	}
	if best := bestAllocs(t, func() error { return c.Run(256) }); best != 0 {
		t.Errorf("client and net server allocated %v times per 256 requests, want 0", best)
	}
}
