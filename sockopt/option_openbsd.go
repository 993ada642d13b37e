package sockopt

import "golang.org/x/sys/unix"

// Options whose presence, number or value size is particular to OpenBSD.
// OpenBSD calls TCP_CORK TCP_NOPUSH, and has no per-socket keep-alive timers.
var (
	tcpKeepIdle     = option{name: "TCP_KEEPIDLE", num: absent}
	tcpKeepIntvl    = option{name: "TCP_KEEPINTVL", num: absent}
	tcpKeepCnt      = option{name: "TCP_KEEPCNT", num: absent}
	tcpFastOpen     = option{name: "TCP_FASTOPEN", num: absent}
	tcpUserTimeout  = option{name: "TCP_USER_TIMEOUT", num: absent}
	tcpDeferAccept  = option{name: "TCP_DEFER_ACCEPT", num: absent}
	tcpQuickAck     = option{name: "TCP_QUICKACK", num: absent}
	tcpCork         = option{name: "TCP_NOPUSH", level: unix.IPPROTO_TCP, num: unix.TCP_NOPUSH}
	tcpNotSentLowat = option{name: "TCP_NOTSENT_LOWAT", num: absent}
	tcpCongestion   = option{name: "TCP_CONGESTION", num: absent}
	ipMTTL          = option{name: "IP_MULTICAST_TTL", level: unix.IPPROTO_IP, num: unix.IP_MULTICAST_TTL, small: true}
	ipMLoop         = option{name: "IP_MULTICAST_LOOP", level: unix.IPPROTO_IP, num: unix.IP_MULTICAST_LOOP, small: true}
	ipRecvTOS       = option{name: "IP_RECVTOS", num: absent}
	ipPktInfo       = option{name: "IP_PKTINFO", num: absent}
	soBindToDevice  = option{name: "SO_BINDTODEVICE", num: absent}
	soIncomingCPU   = option{name: "SO_INCOMING_CPU", num: absent}
	soBusyPoll      = option{name: "SO_BUSY_POLL", num: absent}
	soMark          = option{name: "SO_MARK", num: absent}
	soTimestampNS   = option{name: "SO_TIMESTAMPNS", num: absent}
	soPassCred      = option{name: "SO_PASSCRED", num: absent}
	udpSegment      = option{name: "UDP_SEGMENT", num: absent}
	udpGRO          = option{name: "UDP_GRO", num: absent}
	soNoSigpipe     = option{name: "SO_NOSIGPIPE", num: absent}
	soDomain        = option{name: "SO_DOMAIN", level: unix.SOL_SOCKET, num: unix.SO_DOMAIN}
	soProtocol      = option{name: "SO_PROTOCOL", level: unix.SOL_SOCKET, num: unix.SO_PROTOCOL}
)
