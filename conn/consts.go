//go:build unix || windows

package conn

import "strconv"

// Family is an address family (AF_*).
type Family int

// Type is a socket kind (SOCK_*).
type Type int

// Proto is a protocol number (IPPROTO_* and family-specific ones).
type Proto int

// MsgFlag is a set of MSG_* flags for send and receive calls.
type MsgFlag int

// ShutHow says which directions Shutdown closes.
type ShutHow int

var familyNames = map[Family]string{
	AF_UNSPEC: "AF_UNSPEC", AF_INET: "AF_INET", AF_INET6: "AF_INET6", AF_UNIX: "AF_UNIX",
}

var typeNames = map[Type]string{
	SOCK_STREAM: "SOCK_STREAM", SOCK_DGRAM: "SOCK_DGRAM", SOCK_RAW: "SOCK_RAW",
	SOCK_RDM: "SOCK_RDM", SOCK_SEQPACKET: "SOCK_SEQPACKET",
}

var protoNames = map[Proto]string{
	IPPROTO_IP: "IPPROTO_IP", IPPROTO_ICMP: "IPPROTO_ICMP", IPPROTO_TCP: "IPPROTO_TCP",
	IPPROTO_UDP: "IPPROTO_UDP", IPPROTO_IPV6: "IPPROTO_IPV6", IPPROTO_ICMPV6: "IPPROTO_ICMPV6",
	IPPROTO_RAW: "IPPROTO_RAW",
}

func name[K ~int](m map[K]string, k K, prefix string) string {
	if n, ok := m[k]; ok {
		return n
	}
	return prefix + "(" + strconv.Itoa(int(k)) + ")"
}

// String returns the constant's name, as "AF_INET", or "Family(N)".
func (f Family) String() string { return name(familyNames, f, "Family") }

// String returns the constant's name, as "SOCK_STREAM", or "Type(N)".
func (t Type) String() string { return name(typeNames, t, "Type") }

// String returns the constant's name, as "IPPROTO_TCP", or "Proto(N)".
func (p Proto) String() string { return name(protoNames, p, "Proto") }

// String returns the set's names joined by "|", as "MSG_PEEK|MSG_TRUNC".
func (m MsgFlag) String() string {
	if m == 0 {
		return "0"
	}
	var out string
	rest := m
	for _, n := range msgFlagNames {
		if m&n.f != 0 && rest&n.f != 0 {
			if out != "" {
				out += "|"
			}
			out += n.name
			rest &^= n.f
		}
	}
	if rest != 0 {
		if out != "" {
			out += "|"
		}
		out += "0x" + strconv.FormatInt(int64(rest), 16)
	}
	return out
}

// String returns "SHUT_RD", "SHUT_WR", "SHUT_RDWR" or "ShutHow(N)".
func (h ShutHow) String() string {
	switch h {
	case SHUT_RD:
		return "SHUT_RD"
	case SHUT_WR:
		return "SHUT_WR"
	case SHUT_RDWR:
		return "SHUT_RDWR"
	}
	return "ShutHow(" + strconv.Itoa(int(h)) + ")"
}
