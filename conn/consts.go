//go:build unix

package conn

import (
	"strconv"

	"golang.org/x/sys/unix"
)

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

// Address families available on every supported system.
const (
	AF_UNSPEC Family = unix.AF_UNSPEC
	AF_INET   Family = unix.AF_INET
	AF_INET6  Family = unix.AF_INET6
	AF_UNIX   Family = unix.AF_UNIX
)

// Socket kinds available on every supported system.
const (
	SOCK_STREAM    Type = unix.SOCK_STREAM
	SOCK_DGRAM     Type = unix.SOCK_DGRAM
	SOCK_RAW       Type = unix.SOCK_RAW
	SOCK_RDM       Type = unix.SOCK_RDM
	SOCK_SEQPACKET Type = unix.SOCK_SEQPACKET
)

// Protocols available on every supported system.
const (
	IPPROTO_IP     Proto = unix.IPPROTO_IP
	IPPROTO_ICMP   Proto = unix.IPPROTO_ICMP
	IPPROTO_TCP    Proto = unix.IPPROTO_TCP
	IPPROTO_UDP    Proto = unix.IPPROTO_UDP
	IPPROTO_IPV6   Proto = unix.IPPROTO_IPV6
	IPPROTO_ICMPV6 Proto = unix.IPPROTO_ICMPV6
	IPPROTO_RAW    Proto = unix.IPPROTO_RAW
)

// Message flags available on every supported system.
const (
	MSG_OOB       MsgFlag = unix.MSG_OOB
	MSG_PEEK      MsgFlag = unix.MSG_PEEK
	MSG_DONTROUTE MsgFlag = unix.MSG_DONTROUTE
	MSG_DONTWAIT  MsgFlag = unix.MSG_DONTWAIT
	MSG_EOR       MsgFlag = unix.MSG_EOR
	MSG_TRUNC     MsgFlag = unix.MSG_TRUNC
	MSG_CTRUNC    MsgFlag = unix.MSG_CTRUNC
	MSG_WAITALL   MsgFlag = unix.MSG_WAITALL
)

// Shutdown directions.
const (
	SHUT_RD   ShutHow = unix.SHUT_RD
	SHUT_WR   ShutHow = unix.SHUT_WR
	SHUT_RDWR ShutHow = unix.SHUT_RDWR
)

// SOMAXCONN is the system's largest listen backlog constant.
const SOMAXCONN = unix.SOMAXCONN

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

var msgFlagNames = []struct {
	f    MsgFlag
	name string
}{
	{MSG_OOB, "MSG_OOB"}, {MSG_PEEK, "MSG_PEEK"}, {MSG_DONTROUTE, "MSG_DONTROUTE"},
	{MSG_DONTWAIT, "MSG_DONTWAIT"}, {MSG_EOR, "MSG_EOR"}, {MSG_TRUNC, "MSG_TRUNC"},
	{MSG_CTRUNC, "MSG_CTRUNC"}, {MSG_WAITALL, "MSG_WAITALL"},
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
