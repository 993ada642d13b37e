package http1

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/sockloop/sockloop/codec"
)

const chunkedHead = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"

// netHTTPBody is what net/http reads of the request in, or its error.
func netHTTPBody(in string) ([]byte, error) {
	hr, err := http.ReadRequest(bufio.NewReader(strings.NewReader(in)))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(hr.Body)
}

// TestChunkExtensionsBounded: a body of one-byte chunks, each with a long
// extension, is refused once its framing passes the excess bound, as
// net/http refuses it, rather than buffered for its few bytes of data.
func TestChunkExtensionsBounded(t *testing.T) {
	chunk := "1;" + strings.Repeat("e", 4000) + "\r\nx\r\n"
	in := chunkedHead + strings.Repeat(chunk, 64) + "0\r\n\r\n"
	var p Parser
	var req Request
	_, err := p.Parse(codec.NewBytesReader([]byte(in)), &req)
	if !errors.Is(err, ErrChunk) {
		t.Fatalf("64 chunks of 4 KB framing for a byte each: %v, want ErrChunk", err)
	}
	if _, herr := netHTTPBody(in); herr == nil {
		t.Fatal("net/http accepts the same body; the bound should match its rule")
	}
	// Refused as soon as the excess is there, without waiting for the rest.
	cut := len(chunkedHead) + 5*len(chunk)
	if _, err := p.Parse(codec.NewBytesReader([]byte(in[:cut])), &req); !errors.Is(err, ErrChunk) {
		t.Fatalf("the first five such chunks: %v, want ErrChunk", err)
	}
	// A few extensions, and small chunks with short lines, pass.
	ok := chunkedHead + strings.Repeat("1;a=b\r\nx\r\n", 5000) + "0\r\n\r\n"
	if _, err := p.Parse(codec.NewBytesReader([]byte(ok)), &req); err != nil || len(req.Body) != 5000 {
		t.Fatalf("5000 one-byte chunks: %v, body %d bytes", err, len(req.Body))
	}
	if body, herr := netHTTPBody(ok); herr != nil || len(body) != 5000 {
		t.Fatalf("net/http on 5000 one-byte chunks: %v, %d bytes", herr, len(body))
	}
}

// TestChunkLineLength: a chunk-size line of more than maxChunkLine bytes,
// CRLF included, is refused, whole or still arriving, as net/http does.
func TestChunkLineLength(t *testing.T) {
	line := func(n int) string { return "1;" + strings.Repeat("e", n-len("1;\r\n")) + "\r\n" }
	for _, tc := range []struct {
		n    int
		want error
	}{{maxChunkLine, nil}, {maxChunkLine + 1, ErrChunk}} {
		in := chunkedHead + line(tc.n) + "x\r\n0\r\n\r\n"
		var req Request
		if _, err := new(Parser).Parse(codec.NewBytesReader([]byte(in)), &req); err != tc.want {
			t.Errorf("a %d-byte chunk line: %v, want %v", tc.n, err, tc.want)
		}
		if _, herr := netHTTPBody(in); (herr == nil) != (tc.want == nil) {
			t.Errorf("a %d-byte chunk line: net/http says %v", tc.n, herr)
		}
	}
	for _, tc := range []struct {
		n    int
		want error
	}{{maxChunkLine - 1, codec.ErrIncomplete}, {maxChunkLine, ErrChunk}} {
		in := chunkedHead + "1;" + strings.Repeat("e", tc.n-2)
		var req Request
		if _, err := new(Parser).Parse(codec.NewBytesReader([]byte(in)), &req); err != tc.want {
			t.Errorf("%d bytes of a chunk line with no LF yet: %v, want %v", tc.n, err, tc.want)
		}
	}
}

// TestChunkedResumes feeds a chunked request a few bytes at a time: each
// Parse resumes where the last one stopped (the walk never goes back), and
// the request read at the end is the one a single Parse reads.
func TestChunkedResumes(t *testing.T) {
	var body strings.Builder
	for i := range 300 {
		body.WriteString(strings.Repeat("d", i%7+1))
	}
	var enc bytes.Buffer
	for rest := body.String(); len(rest) > 0; {
		n := min(len(rest), 1+len(rest)%5)
		enc.WriteString(strings.ToUpper(string("0123456789abcdef"[n])) + ";k=v\r\n" + rest[:n] + "\r\n")
		rest = rest[n:]
	}
	in := chunkedHead + enc.String() + "0\r\nTrailer: 1\r\n\r\n" + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n"
	var p Parser
	var req Request
	r := codec.NewBytesReader(make([]byte, 0, len(in))) // one buffer: no reallocation
	walked := 0
	var n int
	var err error
	for i := 0; i < len(in); i += 7 {
		r.Write([]byte(in[i:min(i+7, len(in))]))
		if n, err = p.Parse(r, &req); err == nil {
			break
		}
		if err != codec.ErrIncomplete {
			t.Fatalf("after %d bytes: %v", i+7, err)
		}
		if req.walk.pos < walked {
			t.Fatalf("after %d bytes the walk went back from %d to %d", i+7, walked, req.walk.pos)
		}
		walked = req.walk.pos
	}
	if err != nil || string(req.Body) != body.String() {
		t.Fatalf("fed 7 bytes at a time: %v, body %q", err, req.Body)
	}
	if walked < len(chunkedHead)+enc.Len()/2 {
		t.Fatalf("the walk had reached %d of %d bytes before the end came", walked, len(chunkedHead)+enc.Len())
	}
	if req.walk != (chunkWalk{}) {
		t.Fatalf("a whole request left progress behind: %+v", req.walk)
	}
	r.Discard(n)
	r.Write([]byte(in[r.InboundBuffered()+n:])) // what the loop had not fed yet
	if _, err := p.Parse(r, &req); err != nil || string(req.Path) != "/next" {
		t.Fatalf("the pipelined request after it: %v %q", err, req.Path)
	}
}

// TestChunkedWalkSkipsWhatItChecked shows the resumed walk at work: bytes
// already checked are not read again. Overwritten behind the parser's back
// (which a reader never does, and a caller that consumes without Reset
// could make look alike), the checking walk passes them, and Parse still
// refuses the request: the copying walk, which starts over, disagrees.
func TestChunkedWalkSkipsWhatItChecked(t *testing.T) {
	buf := make([]byte, 0, 128)
	buf = append(buf, chunkedHead+"3\r\nabc\r\n2\r\nd"...)
	r := codec.NewBytesReader(buf)
	var p Parser
	var req Request
	if _, err := p.Parse(r, &req); err != codec.ErrIncomplete {
		t.Fatalf("partial body: %v", err)
	}
	if want := len(chunkedHead) + len("3\r\nabc\r\n"); req.walk.pos != want {
		t.Fatalf("walk stopped at %d, want %d (the chunk not yet whole)", req.walk.pos, want)
	}
	buf[len(chunkedHead)] = 'z' // "3" becomes no size at all
	r.Write([]byte("e\r\n0\r\n\r\n"))
	whole, _ := r.Peek(-1)
	w := req.walk
	if _, err := p.walkChunks(whole, &w, nil); err != nil {
		t.Fatalf("the resumed checking walk read the checked bytes again: %v", err)
	}
	if _, err := p.Parse(r, &req); !errors.Is(err, ErrChunk) {
		t.Fatalf("Parse over bytes changed behind it: %v, want ErrChunk", err)
	}
}

// TestChunkedProgressIsPerReader: progress left by one reader is not taken
// by another over the same memory holding other bytes (a pooled buffer
// given to the next connection), nor after Reset.
func TestChunkedProgressIsPerReader(t *testing.T) {
	mem := make([]byte, 0, 256)
	const partial = chunkedHead + "3\r\nabc\r\n5\r\nab"
	// What follows the head is no chunk, but where the first walk stopped
	// this input has a last chunk: resuming there would accept it.
	const other = chunkedHead + "ZZZZZZZZ0\r\n\r\n"
	first := append(mem, partial...)
	var p Parser
	var req Request
	if _, err := p.Parse(codec.NewBytesReader(first), &req); err != codec.ErrIncomplete {
		t.Fatalf("first reader: %v", err)
	}
	second := append(mem[:0], other...)
	if _, err := p.Parse(codec.NewBytesReader(second), &req); !errors.Is(err, ErrChunk) {
		t.Fatalf("another reader over the same memory: %v, want ErrChunk", err)
	}
	// The same reader given other input: Reset forgets the progress.
	r := codec.NewBytesReader(append(mem[:0], partial...))
	if _, err := p.Parse(r, &req); err != codec.ErrIncomplete {
		t.Fatalf("third input: %v", err)
	}
	req.Reset()
	r.Reset(append(mem[:0], other...))
	if _, err := p.Parse(r, &req); !errors.Is(err, ErrChunk) {
		t.Fatalf("after Request.Reset: %v, want ErrChunk", err)
	}
}

// TestChunkedProgressAfterConsumeWithoutReset: a caller that consumes a
// request's bytes without Reset after an incomplete Parse (against the
// Request's contract) and parses new input at the same place cannot be led
// to split a request where its chunks do not end: the resumed walk would
// end inside the next request's only chunk, and Parse refuses it rather
// than let a smuggled request follow.
func TestChunkedProgressAfterConsumeWithoutReset(t *testing.T) {
	r := codec.NewBytesReader(make([]byte, 0, 256))
	r.Write([]byte(chunkedHead + "5\r\nhello\r\n5\r\nwor"))
	var p Parser
	var req Request
	if _, err := p.Parse(r, &req); err != codec.ErrIncomplete {
		t.Fatalf("first request, partial: %v", err)
	}
	r.Discard(-1) // consumed some other way; no Reset
	data := "0000\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"
	r.Write([]byte(chunkedHead + fmt.Sprintf("%x\r\n", len(data)) + data + "\r\n0\r\n\r\n"))
	n, err := p.Parse(r, &req)
	if err == nil {
		var fresh Request
		want, ferr := p.Parse(r, &fresh)
		if ferr != nil || n != want || string(req.Body) != data {
			t.Fatalf("Parse = %d, body %q; a fresh Parse says %d, %v", n, req.Body, want, ferr)
		}
		return
	}
	if !errors.Is(err, ErrChunk) {
		t.Fatalf("Parse after consuming without Reset: %v, want ErrChunk or the fresh result", err)
	}
}
