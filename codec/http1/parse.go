package http1

import (
	"bytes"

	"github.com/sockloop/sockloop/codec"
)

// Default limits.
const (
	DefaultMaxHeaderBytes = 16 << 10 // request line and header fields
	DefaultMaxHeaders     = 100
	DefaultMaxBodyBytes   = 8 << 20
)

// Parser reads requests. Its zero value uses the default limits; it holds
// no state between calls and is safe for concurrent use.
type Parser struct {
	MaxHeaderBytes int   // bytes in the request line and header section (DefaultMaxHeaderBytes if zero)
	MaxHeaders     int   // header fields (DefaultMaxHeaders if zero)
	MaxBodyBytes   int64 // body bytes, declared or chunked (DefaultMaxBodyBytes if zero)
}

func (p *Parser) maxHeaderBytes() int {
	if p.MaxHeaderBytes > 0 {
		return p.MaxHeaderBytes
	}
	return DefaultMaxHeaderBytes
}

func (p *Parser) maxBody() int64 {
	if p.MaxBodyBytes > 0 {
		return p.MaxBodyBytes
	}
	return DefaultMaxBodyBytes
}

// Parse reads the next whole request, body included, into req and returns
// how many bytes it spans; discard them once done with req. Incomplete
// input returns codec.ErrIncomplete and consumes nothing. After an error
// req holds whatever was read before it; do not use it.
func (p *Parser) Parse(r codec.Reader, req *Request) (n int, err error) {
	buf, _ := r.Peek(-1)
	head, err := p.parseHead(buf, req)
	if err != nil {
		return 0, err
	}
	switch {
	case req.Chunked:
		end, err := p.chunked(r, buf, head, req)
		if err != nil {
			return 0, err
		}
		return end, nil
	case req.ContentLength > 0:
		if req.ContentLength > p.maxBody() {
			return 0, ErrBodyTooLarge
		}
		end := head + int(req.ContentLength)
		if end > len(buf) {
			return 0, codec.ErrIncomplete
		}
		req.Body = buf[head:end:end]
		return end, nil
	}
	return head, nil
}

// ParseHead reads the request line and header fields of the next request
// into req and returns their length, without waiting for the body. A
// server uses it to answer "Expect: 100-continue" (req.ExpectContinue) or
// to stream a large body itself. It also checks the declared body length
// against MaxBodyBytes.
func (p *Parser) ParseHead(r codec.Reader, req *Request) (n int, err error) {
	buf, _ := r.Peek(-1)
	req.walk = chunkWalk{} // the caller reads the body itself from here
	n, err = p.parseHead(buf, req)
	if err == nil && req.ContentLength > p.maxBody() {
		return 0, ErrBodyTooLarge
	}
	return n, err
}

// parseHead parses the request line and header section at the start of buf
// and returns the offset of the body: through parseHeadFast when the head
// has the common shape, else through parseHeadGeneral.
func (p *Parser) parseHead(buf []byte, req *Request) (int, error) {
	req.reset()
	maxBytes := p.maxHeaderBytes()
	maxHeaders := p.MaxHeaders
	if maxHeaders <= 0 {
		maxHeaders = DefaultMaxHeaders
	}
	if n, ok := parseHeadFast(buf, req, maxBytes, maxHeaders); ok {
		return n, nil
	}
	req.reset()
	return parseHeadGeneral(buf, req, maxBytes, maxHeaders)
}

// parseHeadGeneral is parseHead for every head, of whatever shape, and
// the one definition of what a head may be and of every error.
func parseHeadGeneral(buf []byte, req *Request, maxBytes, maxHeaders int) (int, error) {
	pos := 0
	// RFC 9112 section 2.2: ignore empty lines before the request line.
	for pos < len(buf) && pos < 4 && (buf[pos] == '\r' || buf[pos] == '\n') {
		pos++
	}
	l, next, err := headLine(buf, pos, maxBytes)
	if err != nil {
		return 0, err
	}
	if err := requestLine(l, req); err != nil {
		return 0, err
	}
	var hs headerState
	for {
		pos = next
		if l, next, err = headLine(buf, pos, maxBytes); err != nil {
			return 0, err
		}
		if len(l) == 0 {
			break
		}
		if l[0] == ' ' || l[0] == '\t' {
			return 0, ErrObsFold
		}
		if len(req.Headers) == maxHeaders {
			return 0, ErrTooManyHeaders
		}
		colon := 0
		for colon < len(l) && tchar[l[colon]] {
			colon++
		}
		if colon == 0 || colon == len(l) || l[colon] != ':' {
			return 0, ErrHeader
		}
		v := trimOWS(l[colon+1:])
		if !validValue(v) {
			return 0, ErrHeader
		}
		h := Header{Name: l[:colon:colon], Value: v[:len(v):len(v)]}
		req.Headers = append(req.Headers, h)
		if err := hs.note(h, req); err != nil {
			return 0, err
		}
	}
	if err := hs.finish(req); err != nil {
		return 0, err
	}
	return next, nil
}

// headLine returns the line at pos, without its LF or CRLF, and the
// position after it; the whole head must end within maxBytes.
func headLine(buf []byte, pos, maxBytes int) ([]byte, int, error) {
	i := bytes.IndexByte(buf[pos:], '\n')
	if i < 0 {
		if len(buf) > maxBytes {
			return nil, 0, ErrHeaderTooLarge
		}
		return nil, 0, codec.ErrIncomplete
	}
	next := pos + i + 1
	if next > maxBytes {
		return nil, 0, ErrHeaderTooLarge
	}
	l := buf[pos : pos+i]
	if len(l) > 0 && l[len(l)-1] == '\r' {
		l = l[:len(l)-1]
	}
	return l, next, nil
}

// requestLine parses "METHOD SP target SP HTTP/1.x".
func requestLine(l []byte, req *Request) error {
	sp1 := bytes.IndexByte(l, ' ')
	if sp1 < 0 {
		return ErrRequestLine
	}
	sp2 := bytes.IndexByte(l[sp1+1:], ' ')
	if sp2 < 0 {
		return ErrRequestLine
	}
	sp2 += sp1 + 1
	method, target, version := l[:sp1:sp1], l[sp1+1:sp2:sp2], l[sp2+1:]
	if !isToken(method) {
		return ErrMethod
	}
	if !validTarget(method, target) {
		return ErrTarget
	}
	switch {
	case string(version) == "HTTP/1.1":
		req.Minor = 1
	case string(version) == "HTTP/1.0":
		req.Minor = 0
		req.Close = true
	case len(version) == 8 && string(version[:5]) == "HTTP/" && version[6] == '.' &&
		'0' <= version[5] && version[5] <= '9' && '0' <= version[7] && version[7] <= '9':
		return ErrVersion
	default:
		return ErrRequestLine
	}
	req.Method, req.Target, req.Path = method, target, target
	if q := bytes.IndexByte(target, '?'); q >= 0 {
		req.Path, req.Query = target[:q:q], target[q+1:]
	}
	return nil
}
