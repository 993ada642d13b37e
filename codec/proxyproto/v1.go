package proxyproto

import (
	"bytes"
	"net/netip"
	"strconv"

	"github.com/sockloop/sockloop/codec"
)

// maxV1 is the longest v1 header, CRLF included.
const maxV1 = 107

// parseV1 parses "PROXY TCP4|TCP6|UNKNOWN src dst sport dport\r\n".
func parseV1(buf []byte, h *Header) (int, error) {
	end := bytes.Index(buf[:min(len(buf), maxV1)], []byte("\r\n"))
	if end < 0 {
		if len(buf) >= maxV1 {
			return 0, ErrV1TooLong
		}
		return 0, codec.ErrIncomplete
	}
	h.Version, h.Command = 1, Proxy
	line := buf[len(sigV1):end]
	proto, rest, _ := bytes.Cut(line, []byte(" "))
	switch string(proto) {
	case "UNKNOWN":
		// The rest of the line is to be ignored.
		return end + 2, nil
	case "TCP4":
		h.Transport = TCP4
	case "TCP6":
		h.Transport = TCP6
	default:
		return 0, ErrV1
	}
	var f [4][]byte
	for i := range f {
		var ok bool
		if i < 3 {
			f[i], rest, ok = bytes.Cut(rest, []byte(" "))
		} else {
			f[i], ok = rest, len(rest) > 0
		}
		if !ok {
			return 0, ErrV1
		}
	}
	src, err1 := netip.ParseAddr(string(f[0]))
	dst, err2 := netip.ParseAddr(string(f[1]))
	sport, ok1 := port(f[2])
	dport, ok2 := port(f[3])
	if err1 != nil || err2 != nil || !ok1 || !ok2 || src.Zone() != "" || dst.Zone() != "" {
		return 0, ErrV1
	}
	if is4 := h.Transport == TCP4; src.Is4() != is4 || dst.Is4() != is4 {
		return 0, ErrV1
	}
	h.Source, h.Dest = netip.AddrPortFrom(src, sport), netip.AddrPortFrom(dst, dport)
	return end + 2, nil
}

// port parses a decimal port without leading zeros.
func port(b []byte) (uint16, bool) {
	if len(b) == 0 || len(b) > 5 || len(b) > 1 && b[0] == '0' {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return uint16(n), n <= 65535
}

// AppendV1 appends h as a version 1 header. A Local command or a transport
// other than TCP4 and TCP6 is written as "PROXY UNKNOWN".
func AppendV1(dst []byte, h *Header) ([]byte, error) {
	var proto string
	switch {
	case h.Command == Local || h.Transport != TCP4 && h.Transport != TCP6:
		return append(dst, "PROXY UNKNOWN\r\n"...), nil
	case h.Transport == TCP4:
		proto = "TCP4 "
	default:
		proto = "TCP6 "
	}
	src, dstAddr := h.Source.Addr(), h.Dest.Addr()
	if is4 := h.Transport == TCP4; !src.IsValid() || !dstAddr.IsValid() ||
		src.Is4() != is4 || dstAddr.Is4() != is4 || src.Zone() != "" || dstAddr.Zone() != "" {
		return dst, ErrEncode
	}
	dst = append(dst, sigV1...)
	dst = append(dst, proto...)
	dst = src.AppendTo(dst)
	dst = append(dst, ' ')
	dst = dstAddr.AppendTo(dst)
	dst = append(dst, ' ')
	dst = strconv.AppendUint(dst, uint64(h.Source.Port()), 10)
	dst = append(dst, ' ')
	dst = strconv.AppendUint(dst, uint64(h.Dest.Port()), 10)
	return append(dst, '\r', '\n'), nil
}
