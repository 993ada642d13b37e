package codec

import "bytes"

// Delimiter frames a stream on any of several delimiters; the frame ends at
// whichever delimiter comes first, and of two starting at the same byte, at
// the shorter (so that more input cannot change a frame already found).
type Delimiter struct {
	Delimiters [][]byte // empty delimiters are ignored
	// MaxLength bounds a frame, delimiter excluded (DefaultMaxLine if zero).
	MaxLength int
	// KeepDelimiter leaves the delimiter at the end of the frame.
	KeepDelimiter bool
}

var (
	errNoDelimiter = Malformed("delimiter", "no delimiter configured")
	errDelimLong   = TooLarge("delimiter", "frame longer than the maximum")
)

// Frame implements Framer.
func (d *Delimiter) Frame(r Reader) ([]byte, int, error) {
	buf, _ := r.Peek(-1)
	at, dlen, longest := -1, 0, 0
	for _, delim := range d.Delimiters {
		if len(delim) == 0 {
			continue
		}
		longest = max(longest, len(delim))
		limit := buf
		if at >= 0 {
			limit = buf[:min(len(buf), at+len(delim))]
		}
		if i := bytes.Index(limit, delim); i >= 0 && (at < 0 || i < at || i == at && len(delim) < dlen) {
			at, dlen = i, len(delim)
		}
	}
	if longest == 0 {
		return nil, 0, errNoDelimiter
	}
	if at >= 0 && d.partialBefore(buf, at) {
		return nil, 0, ErrIncomplete
	}
	return delimited(buf, at, dlen, longest, orDefault(d.MaxLength, DefaultMaxLine), d.KeepDelimiter, errDelimLong)
}

// delimited finishes a delimiter search: at is where the delimiter of
// length dlen starts (-1: none), longest the longest delimiter.
func delimited(buf []byte, at, dlen, longest, maxLen int, keep bool, tooLong error) ([]byte, int, error) {
	if at < 0 {
		// A delimiter still to come starts no earlier than the last
		// longest-1 bytes, which may hold its beginning.
		if len(buf)-(longest-1) > maxLen {
			return nil, 0, tooLong
		}
		return nil, 0, ErrIncomplete
	}
	if at > maxLen {
		return nil, 0, tooLong
	}
	if keep {
		return buf[:at+dlen], at + dlen, nil
	}
	return buf[:at], at + dlen, nil
}

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// partialBefore reports whether some delimiter may start before at but is
// cut off by the end of buf, so that more input could end the frame sooner.
func (d *Delimiter) partialBefore(buf []byte, at int) bool {
	for _, delim := range d.Delimiters {
		for s := max(0, len(buf)-len(delim)+1); s < at; s++ {
			if bytes.HasPrefix(delim, buf[s:]) {
				return true
			}
		}
	}
	return false
}
