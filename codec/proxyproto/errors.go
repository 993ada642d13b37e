package proxyproto

import "github.com/sockloop/sockloop/codec"

// The errors Parse and the Append functions report; each wraps
// codec.ErrMalformed.
var (
	ErrNotProxy  = codec.Malformed("proxyproto", "no PROXY protocol header")
	ErrV1        = codec.Malformed("proxyproto", "malformed v1 header")
	ErrV1TooLong = codec.Malformed("proxyproto", "v1 header longer than 107 bytes")
	ErrVersion   = codec.Malformed("proxyproto", "unsupported v2 version")
	ErrCommand   = codec.Malformed("proxyproto", "unsupported v2 command")
	ErrFamily    = codec.Malformed("proxyproto", "unsupported v2 address family")
	ErrLength    = codec.Malformed("proxyproto", "v2 length too short for its addresses")
	ErrTLV       = codec.Malformed("proxyproto", "malformed v2 TLV")
	ErrEncode    = codec.Malformed("proxyproto", "header cannot be encoded")
)
