package codec

import "bytes"

// Line frames a stream into lines ending in LF or CRLF; the frame excludes
// the line ending.
type Line struct {
	// MaxLength bounds a line, ending excluded (DefaultMaxLine if zero).
	MaxLength int
}

var errLineLong = TooLarge("line", "line longer than the maximum")

// Frame implements Framer.
func (l Line) Frame(r Reader) ([]byte, int, error) {
	buf, _ := r.Peek(-1)
	maxLen := orDefault(l.MaxLength, DefaultMaxLine)
	at := bytes.IndexByte(buf, '\n')
	// The CR of a CRLF counts as ending, not content, so a line may hold
	// maxLen bytes before it.
	line, n, err := delimited(buf, at, 1, 1, maxLen+1, false, errLineLong)
	if err != nil {
		return nil, 0, err
	}
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	if len(line) > maxLen {
		return nil, 0, errLineLong
	}
	return line, n, nil
}
