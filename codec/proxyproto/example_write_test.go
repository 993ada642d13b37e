package proxyproto_test

import (
	"fmt"
	"net/netip"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/proxyproto"
)

// client is the connection a proxy relays in these examples.
var client = proxyproto.Header{
	Command:   proxyproto.Proxy,
	Transport: proxyproto.TCP4,
	Source:    netip.MustParseAddrPort("203.0.113.7:51000"),
	Dest:      netip.MustParseAddrPort("192.0.2.10:443"),
}

// AppendV1 writes the text header, for servers that take only version 1.
func ExampleAppendV1() {
	wire, err := proxyproto.AppendV1(nil, &client)
	fmt.Printf("%q %v\n", wire, err)
	// Output: "PROXY TCP4 203.0.113.7 192.0.2.10 51000 443\r\n" <nil>
}

// AppendV2 writes the binary header; Parse reads it back.
func ExampleAppendV2() {
	wire, err := proxyproto.AppendV2(nil, &client)
	if err != nil {
		fmt.Println(err)
		return
	}
	var h proxyproto.Header
	n, err := proxyproto.Parse(codec.NewBytesReader(wire), &h)
	fmt.Println(len(wire), n, err, h.Source)
	// Output: 28 28 <nil> 203.0.113.7:51000
}

// AppendTLV adds a version 2 extension, such as the TLS server name the
// client asked for; Header.TLV finds it again.
func ExampleAppendTLV() {
	h := client
	h.TLVs = proxyproto.AppendTLV(nil, proxyproto.TLVAuthority, []byte("example.com"))
	wire, _ := proxyproto.AppendV2(nil, &h)

	var got proxyproto.Header
	proxyproto.Parse(codec.NewBytesReader(wire), &got)
	name, ok := got.TLV(proxyproto.TLVAuthority)
	fmt.Println(string(name), ok)
	// Output: example.com true
}

// NextTLV walks a header's extensions one by one.
func ExampleNextTLV() {
	tlvs := proxyproto.AppendTLV(nil, proxyproto.TLVALPN, []byte("h2"))
	tlvs = proxyproto.AppendTLV(tlvs, proxyproto.TLVAuthority, []byte("example.com"))
	for rest := tlvs; len(rest) > 0; {
		typ, value, next, ok := proxyproto.NextTLV(rest)
		if !ok {
			break
		}
		fmt.Printf("%#02x %s\n", typ, value)
		rest = next
	}
	// Output:
	// 0x01 h2
	// 0x02 example.com
}

// AppendV2CRC adds a checksum extension, which VerifyCRC32C checks on the
// header as Parse measured it.
func ExampleAppendV2CRC() {
	wire, err := proxyproto.AppendV2CRC(nil, &client)
	if err != nil {
		fmt.Println(err)
		return
	}
	var h proxyproto.Header
	n, _ := proxyproto.Parse(codec.NewBytesReader(wire), &h)
	fmt.Println(proxyproto.VerifyCRC32C(wire[:n]))
	wire[16] ^= 1 // a bit flipped on the way
	fmt.Println(proxyproto.VerifyCRC32C(wire[:n]))
	// Output:
	// true
	// false
}
