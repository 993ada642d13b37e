package conn

import "golang.org/x/sys/windows"

// Address families available on every supported system. AF_UNIX sockets
// exist on Windows 10 (1803) and later, stream only.
const (
	AF_UNSPEC Family = windows.AF_UNSPEC
	AF_INET   Family = windows.AF_INET
	AF_INET6  Family = windows.AF_INET6
	AF_UNIX   Family = windows.AF_UNIX
)

// Socket kinds available on every supported system.
const (
	SOCK_STREAM    Type = windows.SOCK_STREAM
	SOCK_DGRAM     Type = windows.SOCK_DGRAM
	SOCK_RAW       Type = windows.SOCK_RAW
	SOCK_RDM       Type = windows.SOCK_RDM
	SOCK_SEQPACKET Type = windows.SOCK_SEQPACKET
)

// Protocols available on every supported system.
const (
	IPPROTO_IP     Proto = windows.IPPROTO_IP
	IPPROTO_ICMP   Proto = windows.IPPROTO_ICMP
	IPPROTO_TCP    Proto = windows.IPPROTO_TCP
	IPPROTO_UDP    Proto = windows.IPPROTO_UDP
	IPPROTO_IPV6   Proto = windows.IPPROTO_IPV6
	IPPROTO_ICMPV6 Proto = windows.IPPROTO_ICMPV6
	IPPROTO_RAW    Proto = 255 // ws2def.h
)

// Message flags Winsock has. There is no MSG_DONTWAIT or MSG_EOR, as in
// CPython on Windows; MSG_TRUNC and MSG_CTRUNC are reported by WSARecvMsg.
const (
	MSG_OOB       MsgFlag = windows.MSG_OOB
	MSG_PEEK      MsgFlag = windows.MSG_PEEK
	MSG_DONTROUTE MsgFlag = windows.MSG_DONTROUTE
	MSG_WAITALL   MsgFlag = windows.MSG_WAITALL
	MSG_TRUNC     MsgFlag = windows.MSG_TRUNC
	MSG_CTRUNC    MsgFlag = windows.MSG_CTRUNC
	MSG_BCAST     MsgFlag = windows.MSG_BCAST
	MSG_MCAST     MsgFlag = windows.MSG_MCAST
)

// Shutdown directions (SD_RECEIVE, SD_SEND, SD_BOTH).
const (
	SHUT_RD   ShutHow = windows.SHUT_RD
	SHUT_WR   ShutHow = windows.SHUT_WR
	SHUT_RDWR ShutHow = windows.SHUT_RDWR
)

// SOMAXCONN asks Winsock for its largest backlog.
const SOMAXCONN = windows.SOMAXCONN

var msgFlagNames = []struct {
	f    MsgFlag
	name string
}{
	{MSG_OOB, "MSG_OOB"}, {MSG_PEEK, "MSG_PEEK"}, {MSG_DONTROUTE, "MSG_DONTROUTE"},
	{MSG_WAITALL, "MSG_WAITALL"}, {MSG_TRUNC, "MSG_TRUNC"}, {MSG_CTRUNC, "MSG_CTRUNC"},
	{MSG_BCAST, "MSG_BCAST"}, {MSG_MCAST, "MSG_MCAST"},
}
