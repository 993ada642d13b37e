package conn

import "golang.org/x/sys/windows"

// Option levels.
const (
	SOL_SOCKET Level = windows.SOL_SOCKET
	SOL_IP     Level = windows.IPPROTO_IP
	SOL_TCP    Level = windows.IPPROTO_TCP
	SOL_UDP    Level = windows.IPPROTO_UDP
	SOL_IPV6   Level = windows.IPPROTO_IPV6
)

// SO_* options (winsock2.h and ws2def.h values; x/sys lacks some).
const (
	SO_DEBUG      SockOpt = 0x0001
	SO_ACCEPTCONN SockOpt = 0x0002
	SO_REUSEADDR  SockOpt = windows.SO_REUSEADDR
	SO_KEEPALIVE  SockOpt = windows.SO_KEEPALIVE
	SO_DONTROUTE  SockOpt = windows.SO_DONTROUTE
	SO_BROADCAST  SockOpt = windows.SO_BROADCAST
	SO_LINGER     SockOpt = windows.SO_LINGER
	SO_OOBINLINE  SockOpt = 0x0100
	SO_SNDBUF     SockOpt = windows.SO_SNDBUF
	SO_RCVBUF     SockOpt = windows.SO_RCVBUF
	SO_SNDLOWAT   SockOpt = 0x1003
	SO_RCVLOWAT   SockOpt = 0x1004
	SO_SNDTIMEO   SockOpt = windows.SO_SNDTIMEO
	SO_RCVTIMEO   SockOpt = windows.SO_RCVTIMEO
	SO_ERROR      SockOpt = 0x1007
	SO_TYPE       SockOpt = 0x1008

	// SO_EXCLUSIVEADDRUSE is ~SO_REUSEADDR: no other socket may bind the
	// same address, whatever its own options say.
	SO_EXCLUSIVEADDRUSE SockOpt = ^SO_REUSEADDR
)

// IP_* options (ws2ipdef.h).
const (
	IP_OPTIONS         IPOpt = 1
	IP_HDRINCL         IPOpt = windows.IP_HDRINCL
	IP_TOS             IPOpt = windows.IP_TOS
	IP_TTL             IPOpt = windows.IP_TTL
	IP_MULTICAST_IF    IPOpt = windows.IP_MULTICAST_IF
	IP_MULTICAST_TTL   IPOpt = windows.IP_MULTICAST_TTL
	IP_MULTICAST_LOOP  IPOpt = windows.IP_MULTICAST_LOOP
	IP_ADD_MEMBERSHIP  IPOpt = windows.IP_ADD_MEMBERSHIP
	IP_DROP_MEMBERSHIP IPOpt = windows.IP_DROP_MEMBERSHIP
	IP_PKTINFO         IPOpt = windows.IP_PKTINFO
	IP_RECVTOS         IPOpt = 40
)

// IPV6_* options (ws2ipdef.h).
const (
	IPV6_V6ONLY         IPv6Opt = 27
	IPV6_UNICAST_HOPS   IPv6Opt = windows.IPV6_UNICAST_HOPS
	IPV6_MULTICAST_IF   IPv6Opt = windows.IPV6_MULTICAST_IF
	IPV6_MULTICAST_HOPS IPv6Opt = windows.IPV6_MULTICAST_HOPS
	IPV6_MULTICAST_LOOP IPv6Opt = windows.IPV6_MULTICAST_LOOP
	IPV6_JOIN_GROUP     IPv6Opt = windows.IPV6_JOIN_GROUP
	IPV6_LEAVE_GROUP    IPv6Opt = windows.IPV6_LEAVE_GROUP
	IPV6_PKTINFO        IPv6Opt = windows.IPV6_PKTINFO
	IPV6_TCLASS         IPv6Opt = 39
	IPV6_RECVTCLASS     IPv6Opt = 40
	IPV6_CHECKSUM       IPv6Opt = 26
)

// TCP_* options (ws2ipdef.h). TCP_KEEPIDLE is Winsock's TCP_KEEPALIVE, in
// seconds, as CPython names it.
const (
	TCP_NODELAY   TCPOpt = windows.TCP_NODELAY
	TCP_MAXSEG    TCPOpt = windows.TCP_MAXSEG
	TCP_KEEPIDLE  TCPOpt = windows.TCP_KEEPIDLE
	TCP_KEEPINTVL TCPOpt = windows.TCP_KEEPINTVL
	TCP_KEEPCNT   TCPOpt = windows.TCP_KEEPCNT
	TCP_FASTOPEN  TCPOpt = windows.TCP_FASTOPEN
)

func init() {
	sockOptNames[SO_EXCLUSIVEADDRUSE] = "SO_EXCLUSIVEADDRUSE"
	ipOptNames[IP_PKTINFO] = "IP_PKTINFO"
	ipOptNames[IP_RECVTOS] = "IP_RECVTOS"
	for o, n := range map[TCPOpt]string{TCP_KEEPIDLE: "TCP_KEEPIDLE", TCP_KEEPINTVL: "TCP_KEEPINTVL",
		TCP_KEEPCNT: "TCP_KEEPCNT", TCP_FASTOPEN: "TCP_FASTOPEN"} {
		tcpOptNames[o] = n
	}
}
