package http1_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/http1"
)

func ExampleParser_Parse() {
	r := codec.NewBytesReader([]byte("GET /hello HTTP/1.1\r\nHost: example\r\n\r\nGET / HTTP/1.1\r\nHost : bad\r\n\r\n"))
	date := http1.AppendDate(nil, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	var p http1.Parser
	var req http1.Request // reused for every request on the connection
	var out []byte
	for {
		n, err := p.Parse(r, &req)
		if errors.Is(err, codec.ErrIncomplete) {
			break // wait for more input
		}
		if err != nil {
			fmt.Println(err, http1.Status(err))
			out = http1.AppendError(out[:0], err) // send, then close
			break
		}
		fmt.Printf("%s %s\n", req.Method, req.Path)
		out = http1.AppendResponse(out, 200, date, "text/plain", []byte("Hello, World!"))
		r.Discard(n)
	}
	fmt.Printf("%q\n", out)
	// Output:
	// GET /hello
	// codec: http1: malformed header field 400
	// "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: 12\r\n\r\nBad Request\n"
}
