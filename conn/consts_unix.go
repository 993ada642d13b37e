//go:build unix

package conn

import "golang.org/x/sys/unix"

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

var msgFlagNames = []struct {
	f    MsgFlag
	name string
}{
	{MSG_OOB, "MSG_OOB"}, {MSG_PEEK, "MSG_PEEK"}, {MSG_DONTROUTE, "MSG_DONTROUTE"},
	{MSG_DONTWAIT, "MSG_DONTWAIT"}, {MSG_EOR, "MSG_EOR"}, {MSG_TRUNC, "MSG_TRUNC"},
	{MSG_CTRUNC, "MSG_CTRUNC"}, {MSG_WAITALL, "MSG_WAITALL"},
}
