package proxyproto_test

import (
	"fmt"
	"net/netip"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/proxyproto"
)

func ExampleParse() {
	// A proxy writes the header ahead of the client's bytes...
	h := proxyproto.Header{
		Command:   proxyproto.Proxy,
		Transport: proxyproto.TCP4,
		Source:    netip.MustParseAddrPort("203.0.113.7:51000"),
		Dest:      netip.MustParseAddrPort("192.0.2.10:443"),
	}
	wire, _ := proxyproto.AppendV2(nil, &h)
	wire = append(wire, "GET / HTTP/1.1\r\n"...)

	// ...and the server reads it off the front of the connection.
	r := codec.NewBytesReader(wire)
	var got proxyproto.Header
	n, err := proxyproto.Parse(r, &got)
	if err != nil {
		fmt.Println(err)
		return
	}
	r.Discard(n)
	rest, _ := r.Peek(-1)
	fmt.Println(got.Version, got.Source, got.Dest)
	fmt.Printf("%q\n", rest)
	// Output:
	// 2 203.0.113.7:51000 192.0.2.10:443
	// "GET / HTTP/1.1\r\n"
}
