//go:build unix || windows

package conn

import "strconv"

// Level is a socket option level: SOL_SOCKET or a protocol number.
type Level int

// Opt is a socket option: its level and its name. SockOpt, IPOpt, IPv6Opt
// and TCPOpt values are Opts; RawOpt names any other pair.
type Opt interface {
	Level() Level
	Name() int
}

// RawOpt is an option given by raw level and name numbers.
type RawOpt struct {
	Lvl, Num int
}

// SockOpt is an SO_* option (level SOL_SOCKET).
type SockOpt int

// IPOpt is an IP_* option (level IPPROTO_IP).
type IPOpt int

// IPv6Opt is an IPV6_* option (level IPPROTO_IPV6).
type IPv6Opt int

// TCPOpt is a TCP_* option (level IPPROTO_TCP).
type TCPOpt int

// SCMType is a control message type at level SOL_SOCKET (SCM_*).
type SCMType int

var (
	levelNames   = map[Level]string{SOL_SOCKET: "SOL_SOCKET", SOL_IP: "SOL_IP", SOL_TCP: "SOL_TCP", SOL_UDP: "SOL_UDP", SOL_IPV6: "SOL_IPV6"}
	sockOptNames = map[SockOpt]string{
		SO_DEBUG: "SO_DEBUG", SO_ACCEPTCONN: "SO_ACCEPTCONN", SO_REUSEADDR: "SO_REUSEADDR",
		SO_KEEPALIVE: "SO_KEEPALIVE", SO_DONTROUTE: "SO_DONTROUTE", SO_BROADCAST: "SO_BROADCAST", SO_LINGER: "SO_LINGER",
		SO_OOBINLINE: "SO_OOBINLINE", SO_SNDBUF: "SO_SNDBUF", SO_RCVBUF: "SO_RCVBUF", SO_SNDLOWAT: "SO_SNDLOWAT",
		SO_RCVLOWAT: "SO_RCVLOWAT", SO_SNDTIMEO: "SO_SNDTIMEO", SO_RCVTIMEO: "SO_RCVTIMEO", SO_ERROR: "SO_ERROR",
		SO_TYPE: "SO_TYPE",
	}
	ipOptNames = map[IPOpt]string{
		IP_OPTIONS: "IP_OPTIONS", IP_HDRINCL: "IP_HDRINCL", IP_TOS: "IP_TOS", IP_TTL: "IP_TTL",
		IP_MULTICAST_IF: "IP_MULTICAST_IF", IP_MULTICAST_TTL: "IP_MULTICAST_TTL", IP_MULTICAST_LOOP: "IP_MULTICAST_LOOP",
		IP_ADD_MEMBERSHIP: "IP_ADD_MEMBERSHIP", IP_DROP_MEMBERSHIP: "IP_DROP_MEMBERSHIP",
	}
	ipv6OptNames = map[IPv6Opt]string{
		IPV6_V6ONLY: "IPV6_V6ONLY", IPV6_UNICAST_HOPS: "IPV6_UNICAST_HOPS", IPV6_MULTICAST_IF: "IPV6_MULTICAST_IF",
		IPV6_MULTICAST_HOPS: "IPV6_MULTICAST_HOPS", IPV6_MULTICAST_LOOP: "IPV6_MULTICAST_LOOP",
		IPV6_JOIN_GROUP: "IPV6_JOIN_GROUP", IPV6_LEAVE_GROUP: "IPV6_LEAVE_GROUP",
		IPV6_PKTINFO: "IPV6_PKTINFO", IPV6_TCLASS: "IPV6_TCLASS", IPV6_RECVTCLASS: "IPV6_RECVTCLASS",
		IPV6_CHECKSUM: "IPV6_CHECKSUM",
	}
	tcpOptNames = map[TCPOpt]string{
		TCP_NODELAY: "TCP_NODELAY", TCP_MAXSEG: "TCP_MAXSEG",
	}
	scmNames = map[SCMType]string{}
)

// String returns the level's name, as "SOL_SOCKET".
func (l Level) String() string { return name(levelNames, l, "Level") }

// String returns the option's name, as "SO_REUSEADDR".
func (o SockOpt) String() string { return name(sockOptNames, o, "SockOpt") }

// String returns the option's name, as "IP_TTL".
func (o IPOpt) String() string { return name(ipOptNames, o, "IPOpt") }

// String returns the option's name, as "IPV6_V6ONLY".
func (o IPv6Opt) String() string { return name(ipv6OptNames, o, "IPv6Opt") }

// String returns the option's name, as "TCP_NODELAY".
func (o TCPOpt) String() string { return name(tcpOptNames, o, "TCPOpt") }

// String returns the type's name, as "SCM_RIGHTS".
func (t SCMType) String() string { return name(scmNames, t, "SCMType") }

// String returns "level/name" in numbers.
func (o RawOpt) String() string { return strconv.Itoa(o.Lvl) + "/" + strconv.Itoa(o.Num) }

// Level returns SOL_SOCKET.
func (SockOpt) Level() Level { return SOL_SOCKET }

// Level returns SOL_IP.
func (IPOpt) Level() Level { return SOL_IP }

// Level returns SOL_IPV6.
func (IPv6Opt) Level() Level { return SOL_IPV6 }

// Level returns SOL_TCP.
func (TCPOpt) Level() Level { return SOL_TCP }

// Level returns the raw level.
func (o RawOpt) Level() Level { return Level(o.Lvl) }

// Name returns the option number.
func (o SockOpt) Name() int { return int(o) }

// Name returns the option number.
func (o IPOpt) Name() int { return int(o) }

// Name returns the option number.
func (o IPv6Opt) Name() int { return int(o) }

// Name returns the option number.
func (o TCPOpt) Name() int { return int(o) }

// Name returns the raw option number.
func (o RawOpt) Name() int { return o.Num }
