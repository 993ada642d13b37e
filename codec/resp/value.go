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

// The kinds RESP3 adds (after HELLO 3).
const (
	Null      Kind = '_'
	Boolean   Kind = '#'
	Double    Kind = ','
	BigNumber Kind = '('
	BlobError Kind = '!'
	Verbatim  Kind = '='
	Map       Kind = '%'
	Set       Kind = '~'
	Attribute Kind = '|'
	Push      Kind = '>'
)

// Value is one decoded RESP value.
type Value struct {
	Kind Kind
	// Str is the text of a simple string, error, bulk string, blob error,
	// verbatim string ("txt:..." with its format), big number or double.
	Str []byte
	// Int is an integer's value, and 1 or 0 for a boolean.
	Int int64
	// Elems are an array's, set's or push's elements, or a map's or
	// attribute's keys and values in turn (key, value, key, value, ...).
	Elems []Value
	// Null marks a RESP2 null bulk string ($-1) or null array (*-1); a
	// RESP3 null has Kind Null.
	Null bool
}

// Value reads the next value of any kind, as replies arrive. Its strings
// are views of r's buffer and its aggregates live in memory the decoder
// reuses: both are valid until r.Discard(n) or the next call. Incomplete
// input returns codec.ErrIncomplete and consumes nothing.
func (d *Decoder) Value(r codec.Reader) (v Value, n int, err error) {
	buf, _ := r.Peek(-1)
	// First pass: validate and count the aggregate elements, so that the
	// slab can be sized once and the second pass fills it without moving.
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
// number of aggregate elements inside it. With out nil it only validates;
// with out set it fills *out and appends elements to d.vals, which must
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
	v := Value{Kind: kind}
	switch kind {
	case SimpleString, Error:
		v.Str = l
	case Integer:
		if v.Int, err = integer(l); err != nil {
			return 0, 0, err
		}
	case BulkString, BlobError, Verbatim:
		if v.Str, v.Null, next, err = d.bulk(buf, l, next, kind == BulkString); err != nil {
			return 0, 0, err
		}
	case Array, Set, Push, Map, Attribute:
		n, err := integer(l)
		if err != nil || n < -1 || n == -1 && kind != Array {
			return 0, 0, ErrBadLength
		}
		if n == -1 {
			v.Null = true
			break
		}
		if n > int64(orDefault(d.MaxArgs, DefaultMaxArgs)) {
			return 0, 0, ErrTooManyArgs
		}
		if kind == Map || kind == Attribute {
			n *= 2
		}
		if depth >= orDefault(d.MaxDepth, DefaultMaxDepth) {
			return 0, 0, ErrTooDeep
		}
		if next, count, v.Elems, err = d.elems(buf, next, depth, int(n), out != nil); err != nil {
			return 0, 0, err
		}
	default:
		if err := scalar3(kind, l, &v); err != nil {
			return 0, 0, err
		}
	}
	if out != nil {
		*out = v
	}
	return next, count, nil
}

// bulk reads a bulk-string body of the length in l, whose text starts at
// next; nullable allows the RESP2 null, $-1.
func (d *Decoder) bulk(buf, l []byte, next int, nullable bool) (str []byte, null bool, end int, err error) {
	size, err := integer(l)
	if err != nil || size < -1 || size == -1 && !nullable {
		return nil, false, 0, ErrBadLength
	}
	if size == -1 {
		return nil, true, next, nil
	}
	if size > int64(orDefault(d.MaxBulk, DefaultMaxBulk)) {
		return nil, false, 0, ErrBulkTooLarge
	}
	stop := next + int(size)
	if stop+2 > len(buf) {
		return nil, false, 0, errIncomplete
	}
	if buf[stop] != '\r' || buf[stop+1] != '\n' {
		return nil, false, 0, ErrMissingCRLF
	}
	return buf[next:stop:stop], false, stop + 2, nil
}

// elems reads n elements of an aggregate starting at pos; with fill it
// stores them in d.vals.
func (d *Decoder) elems(buf []byte, pos, depth, n int, fill bool) (next, count int, elems []Value, err error) {
	if fill {
		start := len(d.vals)
		d.vals = d.vals[:start+n]
		elems = d.vals[start : start+n : start+n]
	}
	count, next = n, pos
	for i := range n {
		var e *Value
		if fill {
			e = &elems[i]
		}
		var c int
		if next, c, err = d.parse(buf, next, depth+1, e); err != nil {
			return 0, 0, nil, err
		}
		count += c
	}
	return next, count, elems, nil
}

func integer(l []byte) (int64, error) {
	v, ok := parseInt(l)
	if !ok {
		return 0, ErrBadInteger
	}
	return v, nil
}
