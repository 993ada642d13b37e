// Package proxyproto decodes and encodes the PROXY protocol header, version 1
// (text) and version 2 (binary), which a proxy sends ahead of a connection's
// bytes to tell the server who the real client is.
//
// Parse reads either version from a codec.Reader and reports how many bytes
// the header spans; discard them and the connection's own bytes follow.
// AppendV1 and AppendV2 write a header for a proxy's upstream connection.
package proxyproto

import (
	"bytes"
	"net/netip"
)

// Command says whether the connection is proxied.
type Command byte

const (
	// Local: the proxy's own connection (a health check); the addresses
	// are not a client's and the connection's own endpoints apply.
	Local Command = 0
	// Proxy: a proxied connection; Source and Dest are the client's.
	Proxy Command = 1
)

// Transport is the proxied connection's family and protocol.
type Transport byte

const (
	Unknown    Transport = 0x00 // unspecified (v1 "UNKNOWN")
	TCP4       Transport = 0x11
	UDP4       Transport = 0x12
	TCP6       Transport = 0x21
	UDP6       Transport = 0x22
	UnixStream Transport = 0x31
	UnixDgram  Transport = 0x32
)

// Header is a decoded PROXY protocol header.
type Header struct {
	Version   int // 1 or 2
	Command   Command
	Transport Transport
	// Source and Dest are the client's and the proxy's addresses for the
	// inet transports.
	Source, Dest netip.AddrPort
	// SourcePath and DestPath are the socket paths for the unix
	// transports; views of the input when parsed.
	SourcePath, DestPath []byte
	// TLVs holds version 2's type-length-value extensions, raw; a view of
	// the input when parsed. Read them with TLV or NextTLV.
	TLVs []byte
}

// TLV returns the value of the first extension of type typ in h.TLVs.
func (h *Header) TLV(typ byte) ([]byte, bool) {
	rest := h.TLVs
	for len(rest) > 0 {
		t, v, r, ok := NextTLV(rest)
		if !ok {
			return nil, false
		}
		if t == typ {
			return v, true
		}
		rest = r
	}
	return nil, false
}

// NextTLV splits the first extension off b: its type, its value and what
// follows; ok is false if b is too short to hold it.
func NextTLV(b []byte) (typ byte, value, rest []byte, ok bool) {
	if len(b) < 3 {
		return 0, nil, nil, false
	}
	n := int(b[1])<<8 | int(b[2])
	if len(b) < 3+n {
		return 0, nil, nil, false
	}
	return b[0], b[3 : 3+n : 3+n], b[3+n:], true
}

// AppendTLV appends one extension to dst, as for Header.TLVs; value must
// be shorter than 64 KiB.
func AppendTLV(dst []byte, typ byte, value []byte) []byte {
	dst = append(dst, typ, byte(len(value)>>8), byte(len(value)))
	return append(dst, value...)
}

// Some extension types from the specification.
const (
	TLVALPN      = 0x01
	TLVAuthority = 0x02
	TLVCRC32C    = 0x03
	TLVNoop      = 0x04
	TLVUniqueID  = 0x05
	TLVSSL       = 0x20
	TLVNetNS     = 0x30
)

// cpath returns a NUL-terminated path field without its padding.
func cpath(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return b[:len(b):len(b)]
}
