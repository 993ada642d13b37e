package conn

import "golang.org/x/sys/unix"

// Linux address families.
const (
	AF_PACKET    Family = unix.AF_PACKET
	AF_NETLINK   Family = unix.AF_NETLINK
	AF_VSOCK     Family = unix.AF_VSOCK
	AF_CAN       Family = unix.AF_CAN
	AF_ALG       Family = unix.AF_ALG
	AF_TIPC      Family = unix.AF_TIPC
	AF_BLUETOOTH Family = unix.AF_BLUETOOTH
	AF_RDS       Family = unix.AF_RDS
)

// Linux type flags; they reach socket(2) but Type never reports them.
const (
	SOCK_NONBLOCK Type = unix.SOCK_NONBLOCK
	SOCK_CLOEXEC  Type = unix.SOCK_CLOEXEC
)

// Linux message flags.
const (
	MSG_NOSIGNAL     MsgFlag = unix.MSG_NOSIGNAL
	MSG_CMSG_CLOEXEC MsgFlag = unix.MSG_CMSG_CLOEXEC
	MSG_ERRQUEUE     MsgFlag = unix.MSG_ERRQUEUE
	MSG_CONFIRM      MsgFlag = unix.MSG_CONFIRM
	MSG_MORE         MsgFlag = unix.MSG_MORE
)

func init() {
	for f, n := range map[Family]string{
		AF_PACKET: "AF_PACKET", AF_NETLINK: "AF_NETLINK", AF_VSOCK: "AF_VSOCK", AF_CAN: "AF_CAN",
		AF_ALG: "AF_ALG", AF_TIPC: "AF_TIPC", AF_BLUETOOTH: "AF_BLUETOOTH", AF_RDS: "AF_RDS",
	} {
		familyNames[f] = n
	}
	msgFlagNames = append(msgFlagNames, []struct {
		f    MsgFlag
		name string
	}{
		{MSG_NOSIGNAL, "MSG_NOSIGNAL"}, {MSG_CMSG_CLOEXEC, "MSG_CMSG_CLOEXEC"},
		{MSG_ERRQUEUE, "MSG_ERRQUEUE"}, {MSG_CONFIRM, "MSG_CONFIRM"}, {MSG_MORE, "MSG_MORE"},
	}...)
}
