//go:build unix

package conn

import "golang.org/x/sys/unix"

// Option levels.
const (
	SOL_SOCKET Level = unix.SOL_SOCKET
	SOL_IP     Level = unix.IPPROTO_IP
	SOL_TCP    Level = unix.IPPROTO_TCP
	SOL_UDP    Level = unix.IPPROTO_UDP
	SOL_IPV6   Level = unix.IPPROTO_IPV6
)

// SO_* options on every supported system.
const (
	SO_DEBUG      SockOpt = unix.SO_DEBUG
	SO_ACCEPTCONN SockOpt = unix.SO_ACCEPTCONN
	SO_REUSEADDR  SockOpt = unix.SO_REUSEADDR
	SO_REUSEPORT  SockOpt = unix.SO_REUSEPORT
	SO_KEEPALIVE  SockOpt = unix.SO_KEEPALIVE
	SO_DONTROUTE  SockOpt = unix.SO_DONTROUTE
	SO_BROADCAST  SockOpt = unix.SO_BROADCAST
	SO_LINGER     SockOpt = unix.SO_LINGER
	SO_OOBINLINE  SockOpt = unix.SO_OOBINLINE
	SO_SNDBUF     SockOpt = unix.SO_SNDBUF
	SO_RCVBUF     SockOpt = unix.SO_RCVBUF
	SO_SNDLOWAT   SockOpt = unix.SO_SNDLOWAT
	SO_RCVLOWAT   SockOpt = unix.SO_RCVLOWAT
	SO_SNDTIMEO   SockOpt = unix.SO_SNDTIMEO
	SO_RCVTIMEO   SockOpt = unix.SO_RCVTIMEO
	SO_ERROR      SockOpt = unix.SO_ERROR
	SO_TYPE       SockOpt = unix.SO_TYPE
	SO_TIMESTAMP  SockOpt = unix.SO_TIMESTAMP
)

// IP_* options on every supported system.
const (
	IP_OPTIONS         IPOpt = unix.IP_OPTIONS
	IP_HDRINCL         IPOpt = unix.IP_HDRINCL
	IP_TOS             IPOpt = unix.IP_TOS
	IP_TTL             IPOpt = unix.IP_TTL
	IP_MULTICAST_IF    IPOpt = unix.IP_MULTICAST_IF
	IP_MULTICAST_TTL   IPOpt = unix.IP_MULTICAST_TTL
	IP_MULTICAST_LOOP  IPOpt = unix.IP_MULTICAST_LOOP
	IP_ADD_MEMBERSHIP  IPOpt = unix.IP_ADD_MEMBERSHIP
	IP_DROP_MEMBERSHIP IPOpt = unix.IP_DROP_MEMBERSHIP
)

// IPV6_* options on every supported system.
const (
	IPV6_V6ONLY         IPv6Opt = unix.IPV6_V6ONLY
	IPV6_UNICAST_HOPS   IPv6Opt = unix.IPV6_UNICAST_HOPS
	IPV6_MULTICAST_IF   IPv6Opt = unix.IPV6_MULTICAST_IF
	IPV6_MULTICAST_HOPS IPv6Opt = unix.IPV6_MULTICAST_HOPS
	IPV6_MULTICAST_LOOP IPv6Opt = unix.IPV6_MULTICAST_LOOP
	IPV6_JOIN_GROUP     IPv6Opt = unix.IPV6_JOIN_GROUP
	IPV6_LEAVE_GROUP    IPv6Opt = unix.IPV6_LEAVE_GROUP
	IPV6_RECVPKTINFO    IPv6Opt = unix.IPV6_RECVPKTINFO
	IPV6_PKTINFO        IPv6Opt = unix.IPV6_PKTINFO
	IPV6_TCLASS         IPv6Opt = unix.IPV6_TCLASS
	IPV6_RECVTCLASS     IPv6Opt = unix.IPV6_RECVTCLASS
	IPV6_CHECKSUM       IPv6Opt = unix.IPV6_CHECKSUM
)

// TCP_* options on every supported system.
const (
	TCP_NODELAY TCPOpt = unix.TCP_NODELAY
	TCP_MAXSEG  TCPOpt = unix.TCP_MAXSEG
)

// Control message types on every supported system.
const (
	SCM_RIGHTS    SCMType = unix.SCM_RIGHTS
	SCM_TIMESTAMP SCMType = unix.SCM_TIMESTAMP
)

func init() {
	sockOptNames[SO_REUSEPORT] = "SO_REUSEPORT"
	sockOptNames[SO_TIMESTAMP] = "SO_TIMESTAMP"
	ipv6OptNames[IPV6_RECVPKTINFO] = "IPV6_RECVPKTINFO"
	scmNames[SCM_RIGHTS] = "SCM_RIGHTS"
	scmNames[SCM_TIMESTAMP] = "SCM_TIMESTAMP"
}
