package sockopt

import "golang.org/x/sys/unix"

// Options whose presence, number or value size is particular to Linux.
var (
	tcpKeepIdle     = option{name: "TCP_KEEPIDLE", level: unix.IPPROTO_TCP, num: unix.TCP_KEEPIDLE}
	tcpUserTimeout  = option{name: "TCP_USER_TIMEOUT", level: unix.IPPROTO_TCP, num: unix.TCP_USER_TIMEOUT}
	tcpDeferAccept  = option{name: "TCP_DEFER_ACCEPT", level: unix.IPPROTO_TCP, num: unix.TCP_DEFER_ACCEPT}
	tcpQuickAck     = option{name: "TCP_QUICKACK", level: unix.IPPROTO_TCP, num: unix.TCP_QUICKACK}
	tcpCork         = option{name: "TCP_CORK", level: unix.IPPROTO_TCP, num: unix.TCP_CORK}
	tcpNotSentLowat = option{name: "TCP_NOTSENT_LOWAT", level: unix.IPPROTO_TCP, num: unix.TCP_NOTSENT_LOWAT}
	tcpCongestion   = option{name: "TCP_CONGESTION", level: unix.IPPROTO_TCP, num: unix.TCP_CONGESTION}
	ipMTTL          = option{name: "IP_MULTICAST_TTL", level: unix.IPPROTO_IP, num: unix.IP_MULTICAST_TTL}
	ipMLoop         = option{name: "IP_MULTICAST_LOOP", level: unix.IPPROTO_IP, num: unix.IP_MULTICAST_LOOP}
	soBindToDevice  = option{name: "SO_BINDTODEVICE", level: unix.SOL_SOCKET, num: unix.SO_BINDTODEVICE}
	soIncomingCPU   = option{name: "SO_INCOMING_CPU", level: unix.SOL_SOCKET, num: unix.SO_INCOMING_CPU}
	soBusyPoll      = option{name: "SO_BUSY_POLL", level: unix.SOL_SOCKET, num: unix.SO_BUSY_POLL}
	soMark          = option{name: "SO_MARK", level: unix.SOL_SOCKET, num: unix.SO_MARK}
	soTimestampNS   = option{name: "SO_TIMESTAMPNS", level: unix.SOL_SOCKET, num: unix.SO_TIMESTAMPNS}
	soPassCred      = option{name: "SO_PASSCRED", level: unix.SOL_SOCKET, num: unix.SO_PASSCRED}
	ipPktInfo       = option{name: "IP_PKTINFO", level: unix.IPPROTO_IP, num: unix.IP_PKTINFO}
	udpSegment      = option{name: "UDP_SEGMENT", level: unix.IPPROTO_UDP, num: unix.UDP_SEGMENT}
	udpGRO          = option{name: "UDP_GRO", level: unix.IPPROTO_UDP, num: unix.UDP_GRO}
	tcpKeepIntvl    = option{name: "TCP_KEEPINTVL", level: unix.IPPROTO_TCP, num: unix.TCP_KEEPINTVL}
	tcpKeepCnt      = option{name: "TCP_KEEPCNT", level: unix.IPPROTO_TCP, num: unix.TCP_KEEPCNT}
	tcpFastOpen     = option{name: "TCP_FASTOPEN", level: unix.IPPROTO_TCP, num: unix.TCP_FASTOPEN}
	ipRecvTOS       = option{name: "IP_RECVTOS", level: unix.IPPROTO_IP, num: unix.IP_RECVTOS}
	soNoSigpipe     = option{name: "SO_NOSIGPIPE", num: absent}
	soDomain        = option{name: "SO_DOMAIN", level: unix.SOL_SOCKET, num: unix.SO_DOMAIN}
	soProtocol      = option{name: "SO_PROTOCOL", level: unix.SOL_SOCKET, num: unix.SO_PROTOCOL}
)
