package resp

import "github.com/sockloop/sockloop/codec"

// ErrBadScalar reports a RESP3 null, boolean, double or big number whose
// text is not of its kind.
var ErrBadScalar = codec.Malformed("resp", "malformed RESP3 scalar")

// scalar3 checks and stores the one-line RESP3 kinds.
func scalar3(kind Kind, l []byte, v *Value) error {
	switch kind {
	case Null:
		if len(l) != 0 {
			return ErrBadScalar
		}
	case Boolean:
		switch string(l) {
		case "t":
			v.Int = 1
		case "f":
		default:
			return ErrBadScalar
		}
	case Double:
		if !isDouble(l) {
			return ErrBadScalar
		}
		v.Str = l
	case BigNumber:
		digits := l
		if len(digits) > 0 && (digits[0] == '-' || digits[0] == '+') {
			digits = digits[1:]
		}
		if len(digits) == 0 || !allDigits(digits) {
			return ErrBadScalar
		}
		v.Str = l
	default:
		return ErrBadType
	}
	return nil
}

// isDouble reports whether l is a RESP3 double: inf, -inf, nan, or a
// decimal number with optional fraction and exponent.
func isDouble(l []byte) bool {
	switch string(l) {
	case "inf", "-inf", "+inf", "nan":
		return true
	}
	if len(l) > 0 && (l[0] == '-' || l[0] == '+') {
		l = l[1:]
	}
	i := 0
	for i < len(l) && '0' <= l[i] && l[i] <= '9' {
		i++
	}
	if i == 0 {
		return false
	}
	if i < len(l) && l[i] == '.' {
		j := i + 1
		for j < len(l) && '0' <= l[j] && l[j] <= '9' {
			j++
		}
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(l) && (l[i] == 'e' || l[i] == 'E') {
		i++
		if i < len(l) && (l[i] == '-' || l[i] == '+') {
			i++
		}
		j := i
		for j < len(l) && '0' <= l[j] && l[j] <= '9' {
			j++
		}
		if j == i {
			return false
		}
		i = j
	}
	return i == len(l)
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
