package proxyproto_test

import (
	"errors"
	"testing"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/proxyproto"
)

func FuzzParse(f *testing.F) {
	f.Add([]byte("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n"))
	f.Add([]byte("PROXY TCP6 ::1 ::2 1 2\r\n"))
	f.Add([]byte("PROXY UNKNOWN\r\n"))
	f.Add([]byte("\r\n\r\n\x00\r\nQUIT\n\x21\x11\x00\x0f\x0a\x00\x00\x01\x0a\x00\x00\x02\x00\x01\x00\x02\x04\x00\x00"))
	f.Add([]byte("\r\n\r\n\x00\r\nQUIT\n\x20\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, in []byte) {
		var h proxyproto.Header
		n, err := proxyproto.Parse(codec.NewBytesReader(in), &h)
		var ce *codec.Error
		switch {
		case errors.Is(err, codec.ErrIncomplete), errors.As(err, &ce):
			return
		case err != nil:
			t.Fatalf("unexpected error %v", err)
		}
		if n <= 0 || n > len(in) {
			t.Fatalf("n = %d of %d", n, len(in))
		}
		// What was parsed encodes again, and parses back the same.
		var enc []byte
		if h.Version == 1 {
			enc, err = proxyproto.AppendV1(nil, &h)
		} else {
			enc, err = proxyproto.AppendV2(nil, &h)
		}
		if err != nil {
			t.Fatalf("re-encode %+v: %v", h, err)
		}
		var h2 proxyproto.Header
		n2, err := proxyproto.Parse(codec.NewBytesReader(enc), &h2)
		if err != nil || n2 != len(enc) || h2.Source != h.Source || h2.Dest != h.Dest ||
			h2.Transport != h.Transport || string(h2.TLVs) != string(h.TLVs) || string(h2.SourcePath) != string(h.SourcePath) {
			t.Fatalf("round trip %+v -> %q -> %+v, %v", h, enc, h2, err)
		}
	})
}
