package http1

import (
	"bytes"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/internal/ident"
)

const (
	// maxChunkLine bounds a chunk-size line, extensions and CRLF included
	// (net/http's bound, its buffer's size).
	maxChunkLine = 4096
	// Framing beyond chunkAllowance bytes per chunk plus twice the chunk's
	// data counts as excess; a body with more than maxChunkExcess of it is
	// refused, so that chunk extensions cannot make the buffered body many
	// times larger than the data it carries (net/http's rule).
	chunkAllowance = 16
	maxChunkExcess = 16 << 10
)

// chunkWalk is how far Parse has checked a chunked body that has not fully
// arrived: the next Parse of the same reader, buffer and head resumes there
// instead of walking the chunks again, so that a body arriving in many
// reads costs time in proportion to its length, not to its square.
type chunkWalk struct {
	at     ident.Mark // the request's reader and place
	head   int        // the head's length
	pos    int        // the first chunk-size line not yet checked
	total  int64      // data in the chunks checked
	excess int64      // framing beyond the allowance so far
}

// chunked decodes the chunked body that starts at pos into req.Body and
// returns the position after the body and its trailer section. It walks
// the chunks once to find the end, and copies them only when the body is
// whole, so that a body arriving in many reads is not copied at each.
func (p *Parser) chunked(r codec.Reader, buf []byte, pos int, req *Request) (int, error) {
	w := &req.walk
	if at := ident.MarkOf(r, buf); !w.at.Same(at) || w.head != pos || w.pos > len(buf) {
		*w = chunkWalk{at: at, head: pos, pos: pos}
	}
	end, err := p.walkChunks(buf, w, nil)
	if err != nil {
		if err != codec.ErrIncomplete {
			*w = chunkWalk{}
		}
		return 0, err
	}
	*w = chunkWalk{pos: pos}
	req.chunks = req.chunks[:0]
	again, err := p.walkChunks(buf, w, &req.chunks)
	*w = chunkWalk{}
	if err != nil || again != end {
		// The checked walk resumed on bytes that were not those it had
		// checked (a reader consumed without Reset): refuse the request.
		return 0, ErrChunk
	}
	req.Body = req.chunks
	return end, nil
}

// walkChunks reads the chunks and trailer section from w.pos, appending the
// chunks' data to *body when body is not nil. On codec.ErrIncomplete, w
// holds where the next call resumes: the start of the first chunk not whole.
func (p *Parser) walkChunks(buf []byte, w *chunkWalk, body *[]byte) (int, error) {
	maxBody := p.maxBody()
	pos := w.pos
	for {
		w.pos = pos
		i := bytes.IndexByte(buf[pos:], '\n')
		if i < 0 {
			if len(buf)-pos >= maxChunkLine {
				return 0, ErrChunk
			}
			return 0, codec.ErrIncomplete
		}
		if i+1 > maxChunkLine || i == 0 || buf[pos+i-1] != '\r' {
			return 0, ErrChunk
		}
		size, ok := chunkSize(buf[pos : pos+i-1])
		if !ok {
			return 0, ErrChunk
		}
		line := i + 1
		// line counts its CRLF, as net/http counts the one after the data.
		excess := max(w.excess+int64(line)-chunkAllowance-2*size, 0)
		if excess > maxChunkExcess {
			return 0, ErrChunk
		}
		if size == 0 {
			pos += line
			break
		}
		if w.total+size > maxBody {
			return 0, ErrBodyTooLarge
		}
		end := pos + line + int(size)
		if end+2 > len(buf) {
			return 0, codec.ErrIncomplete
		}
		if buf[end] != '\r' || buf[end+1] != '\n' {
			return 0, ErrChunk
		}
		if body != nil {
			*body = append(*body, buf[pos+line:end]...)
		}
		w.total, w.excess = w.total+size, excess
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
