//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package sockopt

import "time"

// TCPInfo is the part of a connection's TCP_INFO (TCP_CONNECTION_INFO on
// Darwin) that every supported system reports; Sys holds the system's own
// record (*unix.TCPInfo on Linux, *unix.TCPConnectionInfo on Darwin).
type TCPInfo struct {
	State       uint8         // the kernel's TCP state; 1 is ESTABLISHED on Linux, 4 on Darwin
	RTT         time.Duration // smoothed round-trip time
	RTTVar      time.Duration // round-trip time variance
	RTO         time.Duration // retransmission timeout
	SendMSS     uint32        // maximum segment size for sending
	SendCwnd    uint32        // congestion window, in segments on Linux, bytes on Darwin
	SendSSThres uint32        // slow-start threshold
	Retransmits uint64        // segments retransmitted over the connection's life
	Sys         any
}
