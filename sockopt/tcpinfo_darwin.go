package sockopt

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// GetTCPInfo reads TCP_CONNECTION_INFO, Darwin's TCP_INFO, from a TCP socket.
func GetTCPInfo(fd int) (*TCPInfo, error) {
	ti, err := unix.GetsockoptTCPConnectionInfo(fd, unix.IPPROTO_TCP, unix.TCP_CONNECTION_INFO)
	if err != nil {
		return nil, &Error{Option: "TCP_CONNECTION_INFO", Err: os.NewSyscallError("getsockopt", err)}
	}
	return &TCPInfo{
		State:       ti.State,
		RTT:         time.Duration(ti.Srtt) * time.Millisecond,
		RTTVar:      time.Duration(ti.Rttvar) * time.Millisecond,
		RTO:         time.Duration(ti.Rto) * time.Millisecond,
		SendMSS:     ti.Maxseg,
		SendCwnd:    ti.Snd_cwnd,
		SendSSThres: ti.Snd_ssthresh,
		Retransmits: ti.Txretransmitpackets,
		Sys:         ti,
	}, nil
}
