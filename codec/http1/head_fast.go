package http1

import (
	"encoding/binary"
	"math/bits"
)

// parseHeadFast parses, in one pass over buf, a head of the shape nearly
// every client sends: no empty lines before it, CRLF line ends, an
// origin-form target ("/..."), HTTP/1.1 or HTTP/1.0, and field values with
// no control byte but tab. It reports whether it handled the head; when it
// did not, req may hold part of it and the caller parses buf again with the
// general parser, which owns every error and every other shape. So the fast
// path only ever accepts what the general parser accepts, with the same
// result: it is a shortcut, never a second definition of HTTP.
//
// It scans only the first maxBytes of buf: a head that does not end there
// is left to the general parser, which reports it.
func parseHeadFast(buf []byte, req *Request, maxBytes, maxHeaders int) (int, bool) {
	if len(buf) > maxBytes {
		buf = buf[:maxBytes]
	}
	pos, ok := requestLineFast(buf, req)
	if !ok {
		return 0, false
	}
	var hs headerState
	for {
		if pos+1 >= len(buf) {
			return 0, false
		}
		if buf[pos] == '\r' {
			if buf[pos+1] != '\n' {
				return 0, false
			}
			break
		}
		if len(req.Headers) == maxHeaders {
			return 0, false
		}
		// What parseHeadGeneral checks of a field line, finding the
		// line's end in the same pass that checks the value's bytes.
		colon := pos
		for colon < len(buf) && tchar[buf[colon]] {
			colon++
		}
		if colon == pos || colon == len(buf) || buf[colon] != ':' {
			return 0, false
		}
		v := colon + 1
		for v < len(buf) && (buf[v] == ' ' || buf[v] == '\t') {
			v++
		}
		end, ok := valueEnd(buf, v)
		if !ok {
			return 0, false
		}
		e := end
		for e > v && (buf[e-1] == ' ' || buf[e-1] == '\t') {
			e--
		}
		h := Header{Name: buf[pos:colon:colon], Value: buf[v:e:e]}
		req.Headers = append(req.Headers, h)
		if hs.note(h, req) != nil {
			return 0, false
		}
		pos = end + 2
	}
	if hs.finish(req) != nil {
		return 0, false
	}
	return pos + 2, true
}

// Little-endian words of the request line's fixed parts.
var (
	wordGET    = binary.LittleEndian.Uint32([]byte("GET "))
	wordHTTP11 = binary.LittleEndian.Uint64([]byte("HTTP/1.1"))
	wordHTTP10 = binary.LittleEndian.Uint64([]byte("HTTP/1.0"))
	wordCRLF   = binary.LittleEndian.Uint16([]byte("\r\n"))
)

// requestLineFast parses "METHOD SP /target SP HTTP/1.x CRLF" at the start
// of buf into req and returns the offset after it; it checks what
// requestLine and validTarget check, in the same pass that finds the
// spaces and the '?'.
func requestLineFast(buf []byte, req *Request) (int, bool) {
	sp1 := 0
	if len(buf) >= 4 && binary.LittleEndian.Uint32(buf) == wordGET {
		sp1 = 3
	} else {
		for sp1 < len(buf) && tchar[buf[sp1]] {
			sp1++
		}
		if sp1 == 0 || sp1 == len(buf) || buf[sp1] != ' ' {
			return 0, false
		}
	}
	start := sp1 + 1
	if start >= len(buf) || buf[start] != '/' {
		return 0, false
	}
	q := -1
	i := start + 1
	for {
		for i < len(buf) && targetByte[buf[i]] {
			i++
		}
		if i >= len(buf) {
			return 0, false
		}
		switch buf[i] {
		case ' ':
			goto version
		case '?':
			if q < 0 {
				q = i
			}
			i++
		case '%':
			// Two hex digits, inside the target since neither is a space.
			if i+2 >= len(buf) || !isHex(buf[i+1]) || !isHex(buf[i+2]) {
				return 0, false
			}
			i += 3
		default: // a space or control byte, DEL: for the general parser
			return 0, false
		}
	}
version:
	sp2 := i
	version := buf[sp2+1:]
	if len(version) < 10 || binary.LittleEndian.Uint16(version[8:]) != wordCRLF {
		return 0, false
	}
	switch binary.LittleEndian.Uint64(version) {
	case wordHTTP11:
		req.Minor = 1
	case wordHTTP10:
		req.Minor = 0
		req.Close = true
	default:
		return 0, false
	}
	req.Method = buf[:sp1:sp1]
	req.Target = buf[start:sp2:sp2]
	req.Path = req.Target
	if q >= 0 {
		req.Path, req.Query = buf[start:q:q], buf[q+1:sp2:sp2]
	}
	return sp2 + 11, true
}

// targetByte marks the request-target bytes that need no closer look: all
// above the space but DEL, '%' (an escape to check) and '?' (the query).
var targetByte = func() (t [256]bool) {
	for c := '!'; c <= 0xff; c++ {
		t[c] = c != 0x7f && c != '%' && c != '?'
	}
	return t
}()

// valueEnd returns the offset of the CR of the CRLF that ends the field
// value starting at buf[i], checking that no control byte but tab, and no
// DEL, comes before it; it tests eight bytes at a time, as validValue does.
func valueEnd(buf []byte, i int) (int, bool) {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	for {
		for i+8 <= len(buf) {
			w := binary.LittleEndian.Uint64(buf[i:])
			del := w ^ 0x7f*lo
			// A byte below 0x20, or equal to 0x7f, sets its high bit here;
			// the lowest one set is exact, since only such bytes borrow.
			m := ((w-0x20*lo)&^w | (del-lo)&^del) & hi
			if m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		for i < len(buf) && buf[i] >= ' ' && buf[i] != 0x7f {
			i++
		}
		if i+1 >= len(buf) {
			return 0, false
		}
		switch buf[i] {
		case '\t':
			i++
		case '\r':
			return i, buf[i+1] == '\n'
		default:
			return 0, false
		}
	}
}
