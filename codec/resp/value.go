package resp

import "github.com/sockloop/sockloop/codec"

// Kind is a RESP value's type, named by its leading byte.
type Kind byte

// The RESP2 kinds.
const (
	SimpleString Kind = '+'
	Error        Kind = '-'
	Integer      Kind = ':'
	BulkString   Kind = '$'
	Array        Kind = '*'
)

// Value is one decoded RESP value.
type Value struct {
	Kind  Kind
	Str   []byte  // the text of a simple string, error or bulk string
	Int   int64   // an integer's value
	Elems []Value // an array's elements
	Null  bool    // a null bulk string ($-1) or null array (*-1)

	first int // while decoding: where Elems starts in the decoder's slab
}

// Value reads the next value of any kind, as replies arrive. Its strings
// are views of r's buffer and its arrays live in memory the decoder reuses:
// both are valid until r.Discard(n) or the next call. Incomplete input
// returns codec.ErrIncomplete and consumes nothing.
func (d *Decoder) Value(r codec.Reader) (v Value, n int, err error) {
	buf, _ := r.Peek(-1)
	// First pass: validate and count the array elements, so that the slab
	// can be sized once and the second pass fills it without moving it.
	end, count, err := d.parse(buf, 0, 0, nil)
	if err != nil {
		return Value{}, 0, err
	}
	if cap(d.vals) < count {
		d.vals = make([]Value, 0, count)
	}
	d.vals = d.vals[:0]
	d.parse(buf, 0, 0, &v)
	return v, end, nil
}

// parse reads the value at pos and returns the position after it and the
// number of array elements inside it. With out nil it only validates; with
// out set it fills *out and appends array elements to d.vals, which must
// have room for them all.
func (d *Decoder) parse(buf []byte, pos, depth int, out *Value) (next, count int, err error) {
	if pos >= len(buf) {
		return 0, 0, errIncomplete
	}
	kind := Kind(buf[pos])
	l, next, err := line(buf, pos+1, orDefault(d.MaxInline, DefaultMaxInline))
	if err != nil {
		return 0, 0, err
	}
	var v Value
	v.Kind = kind
	switch kind {
	case SimpleString, Error:
		v.Str = l
	case Integer:
		if v.Int, err = integer(l); err != nil {
			return 0, 0, err
		}
	case BulkString:
		size, err := integer(l)
		if err != nil || size < -1 {
			return 0, 0, ErrBadLength
		}
		if size == -1 {
			v.Null = true
			break
		}
		if size > int64(orDefault(d.MaxBulk, DefaultMaxBulk)) {
			return 0, 0, ErrBulkTooLarge
		}
		end := next + int(size)
		if end+2 > len(buf) {
			return 0, 0, errIncomplete
		}
		if buf[end] != '\r' || buf[end+1] != '\n' {
			return 0, 0, ErrMissingCRLF
		}
		v.Str, next = buf[next:end:end], end+2
	case Array:
		n, err := integer(l)
		if err != nil || n < -1 {
			return 0, 0, ErrBadLength
		}
		if n == -1 {
			v.Null = true
			break
		}
		if n > int64(orDefault(d.MaxArgs, DefaultMaxArgs)) {
			return 0, 0, ErrTooManyArgs
		}
		if depth >= orDefault(d.MaxDepth, DefaultMaxDepth) {
			return 0, 0, ErrTooDeep
		}
		var elems []Value
		if out != nil {
			start := len(d.vals)
			d.vals = d.vals[:start+int(n)]
			elems = d.vals[start : start+int(n) : start+int(n)]
		}
		count = int(n)
		for i := range int(n) {
			var e *Value
			if out != nil {
				e = &elems[i]
			}
			var c int
			if next, c, err = d.parse(buf, next, depth+1, e); err != nil {
				return 0, 0, err
			}
			count += c
		}
		v.Elems = elems
	default:
		return 0, 0, ErrBadType
	}
	if out != nil {
		*out = v
	}
	return next, count, nil
}

func integer(l []byte) (int64, error) {
	v, ok := parseInt(l)
	if !ok {
		return 0, ErrBadInteger
	}
	return v, nil
}
