package proxyproto

import (
	"bytes"

	"github.com/sockloop/sockloop/codec"
)

var (
	sigV2 = []byte("\r\n\r\n\x00\r\nQUIT\n")
	sigV1 = []byte("PROXY ")
)

// Parse reads a PROXY protocol header of either version from the start of
// r into h and returns its length; discard it, and the connection's own
// bytes follow. Input that cannot start a header returns ErrNotProxy, input
// that may still become one codec.ErrIncomplete; nothing is consumed. The
// byte slices in h are views of r's buffer, valid until the discard.
func Parse(r codec.Reader, h *Header) (n int, err error) {
	buf, _ := r.Peek(-1)
	*h = Header{}
	switch {
	case bytes.HasPrefix(buf, sigV2):
		return parseV2(buf, h)
	case bytes.HasPrefix(buf, sigV1):
		return parseV1(buf, h)
	case isPrefix(buf, sigV2) || isPrefix(buf, sigV1):
		return 0, codec.ErrIncomplete
	}
	return 0, ErrNotProxy
}

// isPrefix reports whether buf is a proper prefix of sig.
func isPrefix(buf, sig []byte) bool {
	return len(buf) < len(sig) && bytes.Equal(buf, sig[:len(buf)])
}
