package resp

import (
	"math"
	"strconv"
)

// AppendNull3 appends the RESP3 null, "_\r\n".
func AppendNull3(dst []byte) []byte { return append(dst, "_\r\n"...) }

// AppendBool appends a RESP3 boolean, "#t\r\n" or "#f\r\n".
func AppendBool(dst []byte, b bool) []byte {
	if b {
		return append(dst, "#t\r\n"...)
	}
	return append(dst, "#f\r\n"...)
}

// AppendDouble appends a RESP3 double.
func AppendDouble(dst []byte, f float64) []byte {
	dst = append(dst, ',')
	switch {
	case math.IsInf(f, 1):
		dst = append(dst, "inf"...)
	case math.IsInf(f, -1):
		dst = append(dst, "-inf"...)
	case math.IsNaN(f):
		dst = append(dst, "nan"...)
	default:
		dst = strconv.AppendFloat(dst, f, 'g', -1, 64)
	}
	return append(dst, '\r', '\n')
}

// AppendBigNumber appends a RESP3 big number; digits is its decimal text,
// with an optional sign.
func AppendBigNumber(dst []byte, digits string) []byte {
	dst = append(dst, '(')
	dst = append(dst, digits...)
	return append(dst, '\r', '\n')
}

// AppendBlobError appends a RESP3 blob error, an error that may hold any
// bytes.
func AppendBlobError(dst, msg []byte) []byte { return appendBlob(dst, '!', msg) }

// AppendVerbatim appends a RESP3 verbatim string: format is three bytes
// ("txt", "mkd") and text follows it after a colon.
func AppendVerbatim(dst []byte, format string, text []byte) []byte {
	dst = append(dst, '=')
	dst = strconv.AppendInt(dst, int64(len(format)+1+len(text)), 10)
	dst = append(dst, '\r', '\n')
	dst = append(dst, format...)
	dst = append(dst, ':')
	dst = append(dst, text...)
	return append(dst, '\r', '\n')
}

// AppendMap appends the header of a RESP3 map of n pairs; the caller
// appends n keys and values after it, in turn.
func AppendMap(dst []byte, n int) []byte { return appendHeader(dst, '%', n) }

// AppendSet appends the header of a RESP3 set of n elements.
func AppendSet(dst []byte, n int) []byte { return appendHeader(dst, '~', n) }

// AppendPush appends the header of a RESP3 push of n elements.
func AppendPush(dst []byte, n int) []byte { return appendHeader(dst, '>', n) }

func appendHeader(dst []byte, kind byte, n int) []byte {
	dst = append(dst, kind)
	dst = strconv.AppendInt(dst, int64(n), 10)
	return append(dst, '\r', '\n')
}

func appendBlob(dst []byte, kind byte, b []byte) []byte {
	dst = appendHeader(dst, kind, len(b))
	dst = append(dst, b...)
	return append(dst, '\r', '\n')
}

// appendValue3 appends the RESP3 kinds for AppendValue; ok is false for a
// kind it does not know.
func appendValue3(dst []byte, v Value) ([]byte, bool) {
	switch v.Kind {
	case Null:
		return AppendNull3(dst), true
	case Boolean:
		return AppendBool(dst, v.Int != 0), true
	case Double, BigNumber:
		dst = append(dst, byte(v.Kind))
		dst = append(dst, v.Str...)
		return append(dst, '\r', '\n'), true
	case BlobError, Verbatim:
		return appendBlob(dst, byte(v.Kind), v.Str), true
	case Map, Attribute, Set, Push:
		n := len(v.Elems)
		if v.Kind == Map || v.Kind == Attribute {
			n /= 2
		}
		dst = appendHeader(dst, byte(v.Kind), n)
		for _, e := range v.Elems {
			dst = AppendValue(dst, e)
		}
		return dst, true
	}
	return dst, false
}
