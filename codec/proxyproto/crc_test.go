package proxyproto_test

import (
	"net/netip"
	"testing"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/proxyproto"
)

func TestCRC32C(t *testing.T) {
	h := proxyproto.Header{Command: proxyproto.Proxy, Transport: proxyproto.TCP4,
		Source: netip.MustParseAddrPort("10.0.0.1:1"), Dest: netip.MustParseAddrPort("10.0.0.2:2"),
		TLVs: proxyproto.AppendTLV(nil, proxyproto.TLVAuthority, []byte("a.example"))}
	b, err := proxyproto.AppendV2CRC(nil, &h)
	if err != nil {
		t.Fatal(err)
	}
	var got proxyproto.Header
	n, err := proxyproto.Parse(codec.NewBytesReader(b), &got)
	if err != nil || n != len(b) {
		t.Fatalf("Parse = %d, %v", n, err)
	}
	if _, ok := got.TLV(proxyproto.TLVCRC32C); !ok {
		t.Fatal("no CRC32C extension")
	}
	if !proxyproto.VerifyCRC32C(b) {
		t.Fatal("checksum does not verify")
	}
	b[20] ^= 1 // a source address bit
	if proxyproto.VerifyCRC32C(b) {
		t.Fatal("a corrupted header verifies")
	}
	plain, _ := proxyproto.AppendV2(nil, &h)
	if !proxyproto.VerifyCRC32C(plain) {
		t.Fatal("a header without a checksum does not verify")
	}
}
