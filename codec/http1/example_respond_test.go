package http1_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/http1"
)

// AppendResponse writes a whole response; extra header fields follow the
// ones it writes itself.
func ExampleAppendResponse() {
	date := http1.AppendDate(nil, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	out := http1.AppendResponse(nil, 200, date, "text/plain", []byte("hi"),
		http1.Header{Name: []byte("Cache-Control"), Value: []byte("no-store")})
	for _, line := range strings.SplitAfter(string(out), "\r\n") {
		fmt.Printf("%q\n", line)
	}
	// Output:
	// "HTTP/1.1 200 OK\r\n"
	// "Date: Fri, 02 Jan 2026 03:04:05 GMT\r\n"
	// "Content-Type: text/plain\r\n"
	// "Content-Length: 2\r\n"
	// "Cache-Control: no-store\r\n"
	// "\r\n"
	// "hi"
}

// AppendStatusLine and AppendHeader build a response by parts, for one
// whose body is sent apart (a file, a stream).
func ExampleAppendStatusLine() {
	out := http1.AppendStatusLine(nil, 404)
	out = http1.AppendHeader(out, "Content-Length", "0")
	out = append(out, "\r\n"...)
	fmt.Printf("%q\n", out)
	// Output: "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
}

// AppendHeader appends one header field.
func ExampleAppendHeader() {
	fmt.Printf("%q\n", http1.AppendHeader(nil, "Connection", "close"))
	// Output: "Connection: close\r\n"
}

// AppendDate formats the Date field's value; a server makes it once a
// second and reuses it.
func ExampleAppendDate() {
	fmt.Printf("%s\n", http1.AppendDate(nil, time.Date(2026, 12, 6, 21, 0, 0, 0, time.UTC)))
	// Output: Sun, 06 Dec 2026 21:00:00 GMT
}

// StatusText returns a status code's reason phrase.
func ExampleStatusText() {
	fmt.Println(http1.StatusText(431))
	// Output: Request Header Fields Too Large
}

// Status and AppendError answer a request the parser refused: send the
// response, then close the connection.
func ExampleAppendError() {
	r := codec.NewBytesReader([]byte("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"))
	var p http1.Parser
	var req http1.Request
	_, err := p.Parse(r, &req)
	fmt.Println(http1.Status(err))
	fmt.Printf("%q\n", http1.AppendError(nil, err)[:26])
	// Output:
	// 400
	// "HTTP/1.1 400 Bad Request\r\n"
}

// ParseHead reads a request's head without waiting for its body, so that
// a server can answer "Expect: 100-continue" or stream a large body.
func ExampleParser_ParseHead() {
	r := codec.NewBytesReader([]byte("PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n"))
	var p http1.Parser
	var req http1.Request
	n, err := p.ParseHead(r, &req)
	fmt.Println(n, err, req.ContentLength, req.ExpectContinue)
	if req.ExpectContinue {
		fmt.Printf("%q\n", http1.AppendStatusLine(nil, 100))
	}
	// Output:
	// 80 <nil> 1000000 true
	// "HTTP/1.1 100 Continue\r\n"
}

// Request.Header finds a header field by name, ignoring case.
func ExampleRequest_Header() {
	r := codec.NewBytesReader([]byte("GET /?q=1 HTTP/1.1\r\nHost: example\r\nUser-Agent: demo/1.0\r\n\r\n"))
	var p http1.Parser
	var req http1.Request
	if _, err := p.Parse(r, &req); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s %s %s\n", req.Path, req.Query, req.Header("user-agent"))
	// Output: / q=1 demo/1.0
}
