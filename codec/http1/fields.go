package http1

import "encoding/binary"

// headerState gathers, across a request's header fields, what decides
// its framing and connection handling.
type headerState struct {
	hosts    int
	lengths  int
	encoding bool
	close    bool
}

// note records one header field's meaning. The name must be a token (as
// parseHead checks): it tells the names apart by length, then by whole
// words of the name set to lower case, which for a token is exactly the
// ASCII case folding of equalFold.
func (s *headerState) note(h Header, req *Request) error {
	n := h.Name
	switch len(n) {
	case 4:
		if fold32(n) == le32("host") {
			s.hosts++
			req.Host = h.Value
		}
	case 6:
		if fold32(n) == le32("expe") && fold16(n[4:]) == le16("ct") {
			req.ExpectContinue = equalFold(h.Value, "100-continue")
		}
	case 10:
		if fold64(n) == le64("connecti") && fold16(n[8:]) == le16("on") {
			if hasToken(h.Value, "close") {
				s.close, req.Close = true, true
			} else if req.Minor == 0 && !s.close && hasToken(h.Value, "keep-alive") {
				req.Close = false
			}
		}
	case 14:
		if fold64(n) == le64("content-") && fold64(n[6:]) == le64("t-length") {
			length, ok := parseLength(h.Value)
			if !ok || s.lengths > 0 && length != req.ContentLength {
				return ErrContentLength
			}
			s.lengths++
			req.ContentLength = length
		}
	case 17:
		if fold64(n) == le64("transfer") && fold64(n[8:]) == le64("-encodin") && n[16]|0x20 == 'g' {
			// Only chunked framing is understood; it must be the last coding.
			if s.encoding || !lastTokenIs(h.Value, "chunked") {
				return ErrTransferEncoding
			}
			s.encoding = true
			req.Chunked = true
		}
	}
	return nil
}

// fold64, fold32 and fold16 read the first eight, four or two bytes of b
// as a little-endian word with every byte's 0x20 bit set: upper-case
// letters become lower case. A token byte folds onto a lower-case letter
// only if it is that letter in either case, and onto '-' only if it is '-'
// ('^' and '_' change too, but to '~' and DEL). So for a token b and a
// lower-case name of letters and '-', the folded word equals the name's
// word exactly when equalFold would say so.
func fold64(b []byte) uint64 { return binary.LittleEndian.Uint64(b) | 0x2020202020202020 }
func fold32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) | 0x20202020 }
func fold16(b []byte) uint16 { return binary.LittleEndian.Uint16(b) | 0x2020 }

// le64, le32 and le16 are the little-endian words of s's first bytes; with
// a constant s the compiler folds them to constants.
func le64(s string) uint64 {
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
func le32(s string) uint32 {
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}
func le16(s string) uint16 { return uint16(s[0]) | uint16(s[1])<<8 }

// finish checks what holds across fields.
func (s *headerState) finish(req *Request) error {
	if s.encoding && s.lengths > 0 {
		return ErrLengthAndEncoding
	}
	if s.hosts > 1 || req.Minor == 1 && s.hosts == 0 {
		return ErrMissingHost
	}
	if req.Chunked {
		// RFC 9112 section 6.1: an HTTP/1.0 message with a transfer
		// coding has faulty framing.
		if req.Minor == 0 {
			return ErrFraming10
		}
		req.ContentLength = -1
	}
	return nil
}

// parseLength parses a Content-Length: decimal digits only.
func parseLength(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// lastTokenIs reports whether the last item of the comma-separated list v
// is token.
func lastTokenIs(v []byte, token string) bool {
	last := v
	for i := len(v) - 1; i >= 0; i-- {
		if v[i] == ',' {
			last = v[i+1:]
			break
		}
	}
	return equalFold(trimOWS(last), token)
}
