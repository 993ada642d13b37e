//go:build unix || windows

package conn

import (
	"encoding/binary"
	"net/netip"
	"strconv"
	"strings"
)

// InetAton converts IPv4 text to 4 packed bytes as glibc's inet_aton does:
// one to four parts in decimal, octal (leading 0) or hex (leading 0x), the
// last filling the remaining bytes ("127.1" is 127.0.0.1); text after the
// first space is ignored.
func InetAton(s string) ([]byte, error) {
	if i := strings.IndexAny(s, " \t\n\v\f\r"); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if s == "" || len(parts) > 4 {
		return nil, valueErr("inet_aton", "illegal IP address string passed to inet_aton")
	}
	vals := make([]uint64, len(parts))
	for i, p := range parts {
		v, ok := parseAtonPart(p)
		if !ok {
			return nil, valueErr("inet_aton", "illegal IP address string passed to inet_aton")
		}
		vals[i] = v
	}
	last := len(vals) - 1
	for _, v := range vals[:last] {
		if v > 0xff {
			return nil, valueErr("inet_aton", "illegal IP address string passed to inet_aton")
		}
	}
	if vals[last] >= 1<<(8*(4-last)) {
		return nil, valueErr("inet_aton", "illegal IP address string passed to inet_aton")
	}
	var ip uint32
	for i, v := range vals[:last] {
		ip |= uint32(v) << (24 - 8*i)
	}
	ip |= uint32(vals[last])
	return binary.BigEndian.AppendUint32(nil, ip), nil
}

func parseAtonPart(p string) (uint64, bool) {
	base := 10
	switch {
	case p == "":
		return 0, false
	case len(p) > 1 && (p[:2] == "0x" || p[:2] == "0X"):
		base, p = 16, p[2:]
		if p == "" {
			return 0, false
		}
	case len(p) > 1 && p[0] == '0':
		base, p = 8, p[1:]
	}
	v, err := strconv.ParseUint(p, base, 32)
	return v, err == nil && p[0] != '+' && p[0] != '-'
}

// InetNtoa converts 4 packed bytes to dotted IPv4 text.
func InetNtoa(packed []byte) (string, error) {
	if len(packed) != 4 {
		return "", valueErr("inet_ntoa", "packed IP wrong length for inet_ntoa")
	}
	return netip.AddrFrom4([4]byte(packed)).String(), nil
}

// InetPton converts an address in text to packed bytes for AF_INET (strict
// dotted decimal) or AF_INET6 (RFC 4291 text, no zone), as inet_pton(3).
func InetPton(family Family, s string) ([]byte, error) {
	switch family {
	case AF_INET:
		ip, ok := parseStrict4(s)
		if !ok {
			return nil, valueErr("inet_pton", "illegal IP address string passed to inet_pton")
		}
		return ip[:], nil
	case AF_INET6:
		if strings.ContainsRune(s, '%') {
			return nil, valueErr("inet_pton", "illegal IP address string passed to inet_pton")
		}
		ip, err := netip.ParseAddr(s)
		if err != nil || !ip.Is6() {
			return nil, valueErr("inet_pton", "illegal IP address string passed to inet_pton")
		}
		b := ip.As16()
		return b[:], nil
	}
	return nil, &AddrError{Reason: "inet_pton: unknown address family " + family.String(), Addr: s, errno: eafnosupport}
}

// parseStrict4 parses exactly four decimal parts of 0-255 without leading
// zeros.
func parseStrict4(s string) ([4]byte, bool) {
	var out [4]byte
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return out, false
	}
	for i, p := range parts {
		if p == "" || len(p) > 3 || (len(p) > 1 && p[0] == '0') {
			return out, false
		}
		v := 0
		for _, c := range []byte(p) {
			if c < '0' || c > '9' {
				return out, false
			}
			v = v*10 + int(c-'0')
		}
		if v > 255 {
			return out, false
		}
		out[i] = byte(v)
	}
	return out, true
}

// InetNtop converts packed bytes to text for AF_INET (4 bytes) or AF_INET6
// (16 bytes) as glibc's inet_ntop does; a packed address of the wrong length
// is an error.
func InetNtop(family Family, packed []byte) (string, error) {
	switch family {
	case AF_INET:
		if len(packed) != 4 {
			return "", valueErr("inet_ntop", "invalid length of packed IP address string")
		}
		return netip.AddrFrom4([4]byte(packed)).String(), nil
	case AF_INET6:
		if len(packed) != 16 {
			return "", valueErr("inet_ntop", "invalid length of packed IP address string")
		}
		b := [16]byte(packed)
		if [12]byte(b[:12]) == ([12]byte{}) && (b[12]|b[13]) != 0 {
			// glibc writes IPv4-compatible addresses in the embedded form.
			return "::" + netip.AddrFrom4([4]byte(b[12:])).String(), nil
		}
		return netip.AddrFrom16(b).String(), nil
	}
	return "", &AddrError{Reason: "inet_ntop: unknown address family " + family.String(), errno: eafnosupport}
}

// Htons converts a 16-bit value from host to network byte order.
func Htons(v uint16) uint16 { return swap16(v) }

// Ntohs converts a 16-bit value from network to host byte order.
func Ntohs(v uint16) uint16 { return swap16(v) }

// Htonl converts a 32-bit value from host to network byte order.
func Htonl(v uint32) uint32 { return swap32(v) }

// Ntohl converts a 32-bit value from network to host byte order.
func Ntohl(v uint32) uint32 { return swap32(v) }

func swap16(v uint16) uint16 {
	var b [2]byte
	binary.BigEndian.PutUint16(b[:], v)
	return binary.NativeEndian.Uint16(b[:])
}

func swap32(v uint32) uint32 {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	return binary.NativeEndian.Uint32(b[:])
}
