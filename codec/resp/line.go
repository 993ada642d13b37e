package resp

import "bytes"

// line returns the line that starts at pos and ends in CRLF, and the
// position after the CRLF. It reports codec.ErrIncomplete when the line is
// not whole yet, and ErrLineTooLong when it runs past maxLen bytes.
func line(buf []byte, pos, maxLen int) ([]byte, int, error) {
	rest := buf[pos:]
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		if len(rest) > maxLen {
			return nil, 0, ErrLineTooLong
		}
		return nil, 0, errIncomplete
	}
	if i > maxLen+1 {
		return nil, 0, ErrLineTooLong
	}
	if i == 0 || rest[i-1] != '\r' {
		return nil, 0, ErrProtocol
	}
	return rest[:i-1], pos + i + 1, nil
}

// parseInt parses a decimal integer with an optional minus sign in the one
// spelling RESP writes it, rejecting empty input, other bytes, overflow,
// leading zeros and "-0", as redis-server's string2ll does: "$01" would
// otherwise be read as a length a re-encoding cannot reproduce.
func parseInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 19 || (b[0] == '0' && (len(b) > 1 || neg)) {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if v > (1<<63-1-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		return -v, true
	}
	return v, true
}
