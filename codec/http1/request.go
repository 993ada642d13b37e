package http1

import "bytes"

// Header is one header field; Name and Value are views of the input.
type Header struct {
	Name, Value []byte
}

// Request is a parsed request. Its byte slices are views of the reader's
// buffer (Body of a chunked request excepted, which is decoded into memory
// the Request owns and reuses) and stay valid until the caller discards
// the request's bytes. Reuse one Request per connection: Parse resets it,
// but for how far it has checked a chunked body still arriving, which the
// next Parse from the same reader resumes from. So after Parse returned
// codec.ErrIncomplete, call Reset before anything but another Parse of this
// Request consumes the reader's input, or before the reader starts over
// on other input (BytesReader.Reset); ParseHead forgets it itself.
type Request struct {
	Method  []byte
	Target  []byte // the request-target as sent
	Path    []byte // Target up to any '?'
	Query   []byte // what follows the '?', without it
	Minor   int    // the HTTP/1.x minor version: 0 or 1
	Headers []Header
	Host    []byte

	// ContentLength is the declared body length, or -1 with none.
	ContentLength int64
	Chunked       bool
	// Close reports that the connection closes after the response:
	// "Connection: close", or HTTP/1.0 without "Connection: keep-alive".
	Close bool
	// ExpectContinue reports "Expect: 100-continue": the client may wait
	// for a "100 Continue" before it sends the body.
	ExpectContinue bool
	Body           []byte

	chunks []byte    // the decoded body of a chunked request
	walk   chunkWalk // how far an incomplete chunked body was checked
}

// Reset empties r, keeping its memory for reuse.
func (r *Request) Reset() {
	r.reset()
	r.walk = chunkWalk{}
}

// reset is Reset for Parse, which keeps the progress through a chunked
// body that has not fully arrived.
func (r *Request) reset() {
	// Field by field: one struct assignment builds the value on the stack
	// and copies it whole, at twice the instructions.
	r.Method, r.Target, r.Path, r.Query = nil, nil, nil, nil
	r.Minor = 0
	r.Headers = r.Headers[:0]
	r.Host = nil
	r.ContentLength = -1
	r.Chunked, r.Close, r.ExpectContinue = false, false, false
	r.Body = nil
	r.chunks = r.chunks[:0]
}

// Header returns the value of the first header field named name (compared
// case-insensitively), or nil.
func (r *Request) Header(name string) []byte {
	for _, h := range r.Headers {
		if equalFold(h.Name, name) {
			return h.Value
		}
	}
	return nil
}

// equalFold reports whether b equals the ASCII string s, ignoring case.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		if lower(b[i]) != lower(s[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasToken reports whether the comma-separated list v holds token,
// compared case-insensitively.
func hasToken(v []byte, token string) bool {
	for len(v) > 0 {
		var item []byte
		if i := bytes.IndexByte(v, ','); i >= 0 {
			item, v = v[:i], v[i+1:]
		} else {
			item, v = v, nil
		}
		if equalFold(trimOWS(item), token) {
			return true
		}
	}
	return false
}

// trimOWS trims spaces and tabs from both ends of b.
func trimOWS(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}
