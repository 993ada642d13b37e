package http1

import (
	"bytes"
	"encoding/binary"
)

// tchar marks the bytes of an RFC 9110 token.
var tchar = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

func isToken(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !tchar[c] {
			return false
		}
	}
	return true
}

// validValue reports whether b holds only field-value bytes: visible
// ASCII, spaces, tabs and obs-text, no other control bytes. It tests eight
// bytes at a time and looks closer only at words that may hold a control
// byte.
func validValue(b []byte) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	for len(b) >= 8 {
		w := binary.LittleEndian.Uint64(b)
		del := w ^ 0x7f*lo
		// A byte below 0x20, or equal to 0x7f, sets its high bit here.
		if ((w-0x20*lo)&^w|(del-lo)&^del)&hi != 0 && !validBytes(b[:8]) {
			return false
		}
		b = b[8:]
	}
	return validBytes(b)
}

func validBytes(b []byte) bool {
	for _, c := range b {
		if c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// validTarget reports whether b is a request-target in one of RFC 9112's
// four forms: origin ("/path?query"), asterisk ("*"), authority
// ("host:port", CONNECT only) or absolute ("scheme:..."); it must hold no
// spaces, no control bytes, and only well-formed percent escapes.
func validTarget(method, b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for i, c := range b {
		if c <= ' ' || c == 0x7f {
			return false
		}
		if c == '%' && (i+2 >= len(b) || !isHex(b[i+1]) || !isHex(b[i+2])) {
			return false
		}
	}
	switch {
	case b[0] == '/':
		return true
	case len(b) == 1 && b[0] == '*':
		return true
	case string(method) == "CONNECT":
		return bytes.IndexByte(b, '/') < 0
	}
	// absolute-form: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
