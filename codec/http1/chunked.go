package http1

import (
	"bytes"

	"github.com/sockloop/sockloop/codec"
)

// maxChunkLine bounds a chunk-size line, extensions included.
const maxChunkLine = 4096

// chunked decodes the chunked body that starts at pos into req.Body and
// returns the position after the body and its trailer section. It walks
// the chunks once to find the end, and copies them only when the body is
// whole, so that a body arriving in many reads is not copied at each.
func (p *Parser) chunked(buf []byte, pos int, req *Request) (int, error) {
	end, err := p.walkChunks(buf, pos, nil)
	if err != nil {
		return 0, err
	}
	req.chunks = req.chunks[:0]
	p.walkChunks(buf, pos, &req.chunks)
	req.Body = req.chunks
	return end, nil
}

// walkChunks reads the chunks and trailer section at pos, appending the
// chunks' data to *body when body is not nil.
func (p *Parser) walkChunks(buf []byte, pos int, body *[]byte) (int, error) {
	maxBody := p.maxBody()
	var total int64
	for {
		i := bytes.IndexByte(buf[pos:], '\n')
		if i < 0 {
			if len(buf)-pos > maxChunkLine {
				return 0, ErrChunk
			}
			return 0, codec.ErrIncomplete
		}
		if i > maxChunkLine || i == 0 || buf[pos+i-1] != '\r' {
			return 0, ErrChunk
		}
		size, ok := chunkSize(buf[pos : pos+i-1])
		if !ok {
			return 0, ErrChunk
		}
		pos += i + 1
		if size == 0 {
			break
		}
		total += size
		if total > maxBody {
			return 0, ErrBodyTooLarge
		}
		end := pos + int(size)
		if end+2 > len(buf) {
			return 0, codec.ErrIncomplete
		}
		if buf[end] != '\r' || buf[end+1] != '\n' {
			return 0, ErrChunk
		}
		if body != nil {
			*body = append(*body, buf[pos:end]...)
		}
		pos = end + 2
	}
	return p.trailer(buf, pos)
}

// trailer skips the trailer section at pos: header fields up to an empty
// line, each ending in CRLF, checked for form and ignored.
func (p *Parser) trailer(buf []byte, pos int) (int, error) {
	maxBytes := p.maxHeaderBytes()
	start := pos
	for {
		i := bytes.IndexByte(buf[pos:], '\n')
		if i < 0 {
			if len(buf)-start > maxBytes {
				return 0, ErrHeaderTooLarge
			}
			return 0, codec.ErrIncomplete
		}
		l := buf[pos : pos+i]
		pos += i + 1
		if pos-start > maxBytes {
			return 0, ErrHeaderTooLarge
		}
		// Chunked framing takes CRLF only, as the chunk lines do.
		if len(l) == 0 || l[len(l)-1] != '\r' {
			return 0, ErrChunk
		}
		l = l[:len(l)-1]
		if len(l) == 0 {
			return pos, nil
		}
		if c := bytes.IndexByte(l, ':'); c <= 0 || !isToken(l[:c]) || !validValue(l[c+1:]) {
			return 0, ErrChunk
		}
	}
}

// chunkSize parses a chunk-size line: hex digits, then optional
// extensions after ';'.
func chunkSize(l []byte) (int64, bool) {
	if i := bytes.IndexByte(l, ';'); i >= 0 {
		l = l[:i]
	}
	l = trimOWS(l)
	if len(l) == 0 || len(l) > 15 {
		return 0, false
	}
	var n int64
	for _, c := range l {
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		n = n<<4 | int64(d)
	}
	return n, true
}
