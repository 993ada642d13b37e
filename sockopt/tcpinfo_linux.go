package sockopt

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// GetTCPInfo reads TCP_INFO from a TCP socket.
func GetTCPInfo(fd int) (*TCPInfo, error) {
	ti, err := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO)
	if err != nil {
		return nil, &Error{Option: "TCP_INFO", Err: os.NewSyscallError("getsockopt", err)}
	}
	return &TCPInfo{
		State:       ti.State,
		RTT:         time.Duration(ti.Rtt) * time.Microsecond,
		RTTVar:      time.Duration(ti.Rttvar) * time.Microsecond,
		RTO:         time.Duration(ti.Rto) * time.Microsecond,
		SendMSS:     ti.Snd_mss,
		SendCwnd:    ti.Snd_cwnd,
		SendSSThres: ti.Snd_ssthresh,
		Retransmits: uint64(ti.Total_retrans),
		Sys:         ti,
	}, nil
}
