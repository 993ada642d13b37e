package resp

import (
	"bytes"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/internal/ident"
)

var errIncomplete = codec.ErrIncomplete

// Default limits, as Redis sets them.
const (
	DefaultMaxBulk   = 512 << 20 // proto-max-bulk-len
	DefaultMaxArgs   = 1 << 20   // elements in one array
	DefaultMaxInline = 64 << 10  // bytes in an inline command or a header line
	DefaultMaxDepth  = 32        // nesting of arrays in Value
)

// Decoder reads RESP from a codec.Reader. Its zero value uses the default
// limits.
type Decoder struct {
	MaxBulk   int // longest bulk string (DefaultMaxBulk if zero)
	MaxArgs   int // most elements in an array (DefaultMaxArgs if zero)
	MaxInline int // longest inline command or type line (DefaultMaxInline if zero)
	MaxDepth  int // deepest array nesting Value accepts (DefaultMaxDepth if zero)

	args [][]byte
	vals []Value
	next arrayWalk // how far an array still arriving was read
}

// arrayWalk is how far Command has read an array that has not fully
// arrived: the next Command from the same reader and buffer resumes there,
// with the elements before it still in args, instead of reading them all
// again, so that a command of many elements arriving in many reads costs
// time in proportion to its length, not to its square.
type arrayWalk struct {
	at  ident.Mark // the command's reader and place
	pos int        // where the next element begins
}

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// Command reads the next command: an array of bulk strings, as clients
// send, or an inline command, a line of words separated by spaces. args are
// views of r's buffer and args itself is reused by the next call: both are
// valid until r.Discard(n) or the next call. An empty array or an empty
// inline line gives no args and n > 0: discard n and read on. Incomplete
// input returns codec.ErrIncomplete and consumes nothing; the next call
// from the same reader resumes an array where this one stopped, so keep
// one Decoder per connection while a command is arriving (and see Reset).
func (d *Decoder) Command(r codec.Reader) (args [][]byte, n int, err error) {
	buf, _ := r.Peek(-1)
	if len(buf) == 0 {
		return nil, 0, errIncomplete
	}
	if buf[0] == '*' {
		n, err = d.multiBulk(r, buf)
	} else {
		d.args, d.next = d.args[:0], arrayWalk{}
		n, err = d.inline(buf)
	}
	if err != nil {
		return nil, 0, err
	}
	return d.args, n, nil
}

func (d *Decoder) multiBulk(r codec.Reader, buf []byte) (int, error) {
	count, pos, err := d.arrayHeader(buf)
	if err != nil {
		d.next = arrayWalk{}
		return 0, err
	}
	w := &d.next
	resumed := true
	if at := ident.MarkOf(r, buf); !w.at.Same(at) || w.pos > len(buf) || w.pos < pos {
		*w = arrayWalk{at: at, pos: pos}
		d.args = d.args[:0]
		resumed = false
	}
	n, err := d.elements(buf, w, count)
	if err == errIncomplete {
		return 0, err
	}
	*w = arrayWalk{}
	if resumed && err == nil {
		// Read the whole array once more: the elements kept are views of
		// bytes that only a caller who consumed without Reset could have
		// changed, and the command must be what the bytes say.
		*w = arrayWalk{pos: pos}
		d.args = d.args[:0]
		n, err = d.elements(buf, w, count)
		*w = arrayWalk{}
	}
	return n, err
}

// arrayHeader reads an array's "*count" line: the count, and where the
// first element begins.
func (d *Decoder) arrayHeader(buf []byte) (count int64, pos int, err error) {
	l, pos, err := line(buf, 1, orDefault(d.MaxInline, DefaultMaxInline))
	if err != nil {
		return 0, 0, err
	}
	count, ok := parseInt(l)
	if !ok {
		return 0, 0, ErrBadLength
	}
	if count > int64(orDefault(d.MaxArgs, DefaultMaxArgs)) {
		return 0, 0, ErrTooManyArgs
	}
	return count, pos, nil
}

// Reset forgets how far Command read an array still arriving; call it
// before the reader's input is consumed other than by a Command that
// completes, or before the reader starts over on other input.
func (d *Decoder) Reset() {
	d.next = arrayWalk{}
	d.args = d.args[:0]
}

// elements reads the array's bulk strings from w.pos into d.args until it
// holds count of them; on errIncomplete, w.pos is where the first element
// not whole begins.
func (d *Decoder) elements(buf []byte, w *arrayWalk, count int64) (int, error) {
	maxLine := orDefault(d.MaxInline, DefaultMaxInline)
	maxBulk := int64(orDefault(d.MaxBulk, DefaultMaxBulk))
	pos := w.pos
	for int64(len(d.args)) < count {
		w.pos = pos
		if pos >= len(buf) {
			return 0, errIncomplete
		}
		if buf[pos] != '$' {
			return 0, ErrExpectedBulk
		}
		l, next, err := line(buf, pos+1, maxLine)
		if err != nil {
			return 0, err
		}
		size, ok := parseInt(l)
		if !ok || size < 0 {
			return 0, ErrBadLength
		}
		if size > maxBulk {
			return 0, ErrBulkTooLarge
		}
		end := next + int(size)
		if end+2 > len(buf) {
			return 0, errIncomplete
		}
		if buf[end] != '\r' || buf[end+1] != '\n' {
			return 0, ErrMissingCRLF
		}
		d.args = append(d.args, buf[next:end:end])
		pos = end + 2
	}
	return pos, nil
}

func (d *Decoder) inline(buf []byte) (int, error) {
	maxLine := orDefault(d.MaxInline, DefaultMaxInline)
	i := bytes.IndexByte(buf, '\n')
	if i < 0 {
		if len(buf) > maxLine {
			return 0, ErrLineTooLong
		}
		return 0, errIncomplete
	}
	if i > maxLine {
		return 0, ErrLineTooLong
	}
	l := buf[:i]
	if len(l) > 0 && l[len(l)-1] == '\r' {
		l = l[:len(l)-1]
	}
	for len(l) > 0 {
		for len(l) > 0 && (l[0] == ' ' || l[0] == '\t') {
			l = l[1:]
		}
		j := 0
		for j < len(l) && l[j] != ' ' && l[j] != '\t' {
			j++
		}
		if j > 0 {
			d.args = append(d.args, l[:j:j])
		}
		l = l[j:]
	}
	if len(d.args) > orDefault(d.MaxArgs, DefaultMaxArgs) {
		d.args = d.args[:0]
		return 0, ErrTooManyArgs
	}
	return i + 1, nil
}
