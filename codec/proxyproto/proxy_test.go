package proxyproto_test

import (
	"bytes"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/proxyproto"
)

func mustV2(t *testing.T, h *proxyproto.Header) []byte {
	t.Helper()
	b, err := proxyproto.AppendV2(nil, h)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseV1(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want proxyproto.Header
		n    int
		err  error
	}{
		{name: "tcp4", in: "PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\nGET /", n: 45, want: proxyproto.Header{
			Version: 1, Command: proxyproto.Proxy, Transport: proxyproto.TCP4,
			Source: netip.MustParseAddrPort("192.0.2.1:56324"), Dest: netip.MustParseAddrPort("198.51.100.2:443")}},
		{name: "tcp6", in: "PROXY TCP6 2001:db8::1 ::1 1 65535\r\n", n: 36, want: proxyproto.Header{
			Version: 1, Command: proxyproto.Proxy, Transport: proxyproto.TCP6,
			Source: netip.MustParseAddrPort("[2001:db8::1]:1"), Dest: netip.MustParseAddrPort("[::1]:65535")}},
		{name: "unknown", in: "PROXY UNKNOWN ffff::1 whatever\r\n", n: 32, want: proxyproto.Header{Version: 1, Command: proxyproto.Proxy}},
		{name: "unknown bare", in: "PROXY UNKNOWN\r\n", n: 15, want: proxyproto.Header{Version: 1, Command: proxyproto.Proxy}},
		{name: "partial signature", in: "PRO", err: codec.ErrIncomplete},
		{name: "partial line", in: "PROXY TCP4 1.2.3.4", err: codec.ErrIncomplete},
		{name: "not proxy", in: "GET / HTTP/1.1\r\n", err: proxyproto.ErrNotProxy},
		{name: "too long", in: "PROXY UNKNOWN " + strings.Repeat("x", 100), err: proxyproto.ErrV1TooLong},
		{name: "bad proto", in: "PROXY UDP4 1.2.3.4 1.2.3.4 1 2\r\n", err: proxyproto.ErrV1},
		{name: "family mismatch", in: "PROXY TCP4 ::1 1.2.3.4 1 2\r\n", err: proxyproto.ErrV1},
		{name: "bad port", in: "PROXY TCP4 1.2.3.4 1.2.3.4 65536 2\r\n", err: proxyproto.ErrV1},
		{name: "leading zero", in: "PROXY TCP4 1.2.3.4 1.2.3.4 01 2\r\n", err: proxyproto.ErrV1},
		{name: "missing field", in: "PROXY TCP4 1.2.3.4 1.2.3.4 1\r\n", err: proxyproto.ErrV1},
		{name: "extra field", in: "PROXY TCP4 1.2.3.4 1.2.3.4 1 2 3\r\n", err: proxyproto.ErrV1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkParse(t, []byte(tt.in), tt.want, tt.n, tt.err)
		})
	}
}

func checkParse(t *testing.T, in []byte, want proxyproto.Header, wantN int, wantErr error) {
	t.Helper()
	r := codec.NewBytesReader(in)
	var h proxyproto.Header
	n, err := proxyproto.Parse(r, &h)
	if !errors.Is(err, wantErr) {
		t.Fatalf("error %v, want %v", err, wantErr)
	}
	if r.InboundBuffered() != len(in) {
		t.Fatal("Parse consumed input")
	}
	if err != nil {
		return
	}
	if n != wantN {
		t.Fatalf("n = %d, want %d", n, wantN)
	}
	if h.Version != want.Version || h.Command != want.Command || h.Transport != want.Transport ||
		h.Source != want.Source || h.Dest != want.Dest || !bytes.Equal(h.SourcePath, want.SourcePath) ||
		!bytes.Equal(h.DestPath, want.DestPath) || !bytes.Equal(h.TLVs, want.TLVs) {
		t.Fatalf("header %+v\nwant %+v", h, want)
	}
}

func TestV2RoundTrip(t *testing.T) {
	tlvs := proxyproto.AppendTLV(nil, proxyproto.TLVAuthority, []byte("example.com"))
	tlvs = proxyproto.AppendTLV(tlvs, proxyproto.TLVNoop, nil)
	tests := []struct {
		name string
		h    proxyproto.Header
	}{
		{name: "tcp4", h: proxyproto.Header{Command: proxyproto.Proxy, Transport: proxyproto.TCP4,
			Source: netip.MustParseAddrPort("10.0.0.1:1234"), Dest: netip.MustParseAddrPort("10.0.0.2:80")}},
		{name: "udp6 with TLVs", h: proxyproto.Header{Command: proxyproto.Proxy, Transport: proxyproto.UDP6,
			Source: netip.MustParseAddrPort("[2001:db8::1]:53"), Dest: netip.MustParseAddrPort("[2001:db8::2]:5353"), TLVs: tlvs}},
		{name: "unix", h: proxyproto.Header{Command: proxyproto.Proxy, Transport: proxyproto.UnixStream,
			SourcePath: []byte("/run/a.sock"), DestPath: []byte("/run/b.sock")}},
		{name: "local", h: proxyproto.Header{Command: proxyproto.Local}},
		{name: "unspec", h: proxyproto.Header{Command: proxyproto.Proxy}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mustV2(t, &tt.h)
			want := tt.h
			want.Version = 2
			in := append(b, "payload"...)
			checkParse(t, in, want, len(b), nil)
			// Every proper prefix is incomplete.
			for i := range len(b) {
				var h proxyproto.Header
				if _, err := proxyproto.Parse(codec.NewBytesReader(b[:i]), &h); !errors.Is(err, codec.ErrIncomplete) {
					t.Fatalf("prefix of %d bytes: %v", i, err)
				}
			}
		})
	}
	var h proxyproto.Header
	proxyproto.Parse(codec.NewBytesReader(mustV2(t, &tests[1].h)), &h)
	if v, ok := h.TLV(proxyproto.TLVAuthority); !ok || string(v) != "example.com" {
		t.Fatalf("TLV authority = %q, %v", v, ok)
	}
	if _, ok := h.TLV(proxyproto.TLVSSL); ok {
		t.Fatal("TLV SSL found")
	}
}

func TestV2Errors(t *testing.T) {
	good := mustV2(t, &proxyproto.Header{Command: proxyproto.Proxy, Transport: proxyproto.TCP4,
		Source: netip.MustParseAddrPort("10.0.0.1:1"), Dest: netip.MustParseAddrPort("10.0.0.2:2")})
	mutate := func(i int, v byte) []byte {
		b := append([]byte(nil), good...)
		b[i] = v
		return b
	}
	tests := []struct {
		name string
		in   []byte
		err  error
	}{
		{name: "version 1 nibble", in: mutate(12, 0x11), err: proxyproto.ErrVersion},
		{name: "command 2", in: mutate(12, 0x22), err: proxyproto.ErrCommand},
		{name: "family 4", in: mutate(13, 0x41), err: proxyproto.ErrFamily},
		{name: "short for inet6", in: mutate(13, 0x21), err: proxyproto.ErrLength},
		{name: "bad TLV", in: append(mutate(15, 14), 0x01, 0x00), err: proxyproto.ErrTLV},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkParse(t, tt.in, proxyproto.Header{}, 0, tt.err)
		})
	}
}

func TestAppendV1(t *testing.T) {
	tests := []struct {
		name string
		h    proxyproto.Header
		want string
		err  error
	}{
		{name: "tcp4", h: proxyproto.Header{Command: proxyproto.Proxy, Transport: proxyproto.TCP4,
			Source: netip.MustParseAddrPort("192.0.2.1:56324"), Dest: netip.MustParseAddrPort("198.51.100.2:443")},
			want: "PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n"},
		{name: "tcp6", h: proxyproto.Header{Command: proxyproto.Proxy, Transport: proxyproto.TCP6,
			Source: netip.MustParseAddrPort("[2001:db8::1]:1"), Dest: netip.MustParseAddrPort("[::1]:2")},
			want: "PROXY TCP6 2001:db8::1 ::1 1 2\r\n"},
		{name: "local", h: proxyproto.Header{Command: proxyproto.Local}, want: "PROXY UNKNOWN\r\n"},
		{name: "udp", h: proxyproto.Header{Command: proxyproto.Proxy, Transport: proxyproto.UDP4}, want: "PROXY UNKNOWN\r\n"},
		{name: "mismatch", h: proxyproto.Header{Command: proxyproto.Proxy, Transport: proxyproto.TCP4,
			Source: netip.MustParseAddrPort("[::1]:1"), Dest: netip.MustParseAddrPort("1.2.3.4:2")}, err: proxyproto.ErrEncode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := proxyproto.AppendV1(nil, &tt.h)
			if !errors.Is(err, tt.err) || string(got) != tt.want {
				t.Fatalf("AppendV1 = %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
		})
	}
}
