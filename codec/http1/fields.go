package http1

// headerState gathers, across a request's header fields, what decides
// its framing and connection handling.
type headerState struct {
	hosts    int
	lengths  int
	encoding bool
	close    bool
}

// note records one header field's meaning.
func (s *headerState) note(h Header, req *Request) error {
	switch len(h.Name) {
	case 4, 6, 10, 14, 17: // the lengths of the names below
	default:
		return nil
	}
	switch {
	case equalFold(h.Name, "Content-Length"):
		n, ok := parseLength(h.Value)
		if !ok || s.lengths > 0 && n != req.ContentLength {
			return ErrContentLength
		}
		s.lengths++
		req.ContentLength = n
	case equalFold(h.Name, "Transfer-Encoding"):
		// Only chunked framing is understood; it must be the last coding.
		if s.encoding || !lastTokenIs(h.Value, "chunked") {
			return ErrTransferEncoding
		}
		s.encoding = true
		req.Chunked = true
	case equalFold(h.Name, "Host"):
		s.hosts++
		req.Host = h.Value
	case equalFold(h.Name, "Connection"):
		if hasToken(h.Value, "close") {
			s.close, req.Close = true, true
		} else if req.Minor == 0 && !s.close && hasToken(h.Value, "keep-alive") {
			req.Close = false
		}
	case equalFold(h.Name, "Expect"):
		req.ExpectContinue = equalFold(h.Value, "100-continue")
	}
	return nil
}

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
