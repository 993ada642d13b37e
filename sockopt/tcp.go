//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package sockopt

import "time"

// SetNoDelay sets TCP_NODELAY: segments go out at once instead of waiting
// to coalesce (Nagle's algorithm off).
func SetNoDelay(fd int, on bool) error { return tcpNoDelay.setBool(fd, on) }

// NoDelay reports TCP_NODELAY.
func NoDelay(fd int) (bool, error) { return tcpNoDelay.getBool(fd) }

// SetKeepAliveIdle sets TCP_KEEPIDLE (TCP_KEEPALIVE on Darwin), how long a
// connection stays idle before the first keep-alive probe, rounded up to
// whole seconds.
func SetKeepAliveIdle(fd int, d time.Duration) error { return tcpKeepIdle.setDur(fd, d, time.Second) }

// KeepAliveIdle reports TCP_KEEPIDLE.
func KeepAliveIdle(fd int) (time.Duration, error) { return tcpKeepIdle.getDur(fd, time.Second) }

// SetKeepAliveInterval sets TCP_KEEPINTVL, the time between keep-alive
// probes, rounded up to whole seconds.
func SetKeepAliveInterval(fd int, d time.Duration) error {
	return tcpKeepIntvl.setDur(fd, d, time.Second)
}

// KeepAliveInterval reports TCP_KEEPINTVL.
func KeepAliveInterval(fd int) (time.Duration, error) { return tcpKeepIntvl.getDur(fd, time.Second) }

// SetKeepAliveCount sets TCP_KEEPCNT, how many unanswered probes drop the
// connection.
func SetKeepAliveCount(fd, n int) error { return tcpKeepCnt.setInt(fd, n) }

// KeepAliveCount reports TCP_KEEPCNT.
func KeepAliveCount(fd int) (int, error) { return tcpKeepCnt.getInt(fd) }

// SetUserTimeout sets TCP_USER_TIMEOUT, how long sent data may stay
// unacknowledged before the connection is dropped (millisecond resolution;
// zero means the system default). Linux only.
func SetUserTimeout(fd int, d time.Duration) error {
	return tcpUserTimeout.setDur(fd, d, time.Millisecond)
}

// UserTimeout reports TCP_USER_TIMEOUT.
func UserTimeout(fd int) (time.Duration, error) { return tcpUserTimeout.getDur(fd, time.Millisecond) }

// SetFastOpen sets TCP_FASTOPEN on a listening socket. On Linux n is the
// queue length of pending Fast Open requests; on the BSDs nonzero turns
// Fast Open on.
func SetFastOpen(fd, n int) error { return tcpFastOpen.setInt(fd, n) }

// FastOpen reports TCP_FASTOPEN.
func FastOpen(fd int) (int, error) { return tcpFastOpen.getInt(fd) }

// SetQuickAck sets TCP_QUICKACK: acknowledge at once rather than delay. The
// kernel clears it again by itself; set it after each read that needs it.
// Linux only.
func SetQuickAck(fd int, on bool) error { return tcpQuickAck.setBool(fd, on) }

// QuickAck reports TCP_QUICKACK.
func QuickAck(fd int) (bool, error) { return tcpQuickAck.getBool(fd) }

// SetCork sets TCP_CORK (TCP_NOPUSH on the BSDs): partial segments are held
// back until the cork is removed, so that a header and a body written apart
// leave in full segments.
func SetCork(fd int, on bool) error { return tcpCork.setBool(fd, on) }

// Cork reports TCP_CORK (TCP_NOPUSH on the BSDs).
func Cork(fd int) (bool, error) { return tcpCork.getBool(fd) }

// SetNotSentLowat sets TCP_NOTSENT_LOWAT, the unsent bytes under which the
// socket reports itself writable. Linux and Darwin.
func SetNotSentLowat(fd, n int) error { return tcpNotSentLowat.setInt(fd, n) }

// NotSentLowat reports TCP_NOTSENT_LOWAT.
func NotSentLowat(fd int) (int, error) { return tcpNotSentLowat.getInt(fd) }

// SetCongestion sets TCP_CONGESTION, the congestion control algorithm by
// name ("cubic", "reno", "bbr", ...). Linux and FreeBSD.
func SetCongestion(fd int, name string) error { return tcpCongestion.setString(fd, name) }

// Congestion reports TCP_CONGESTION.
func Congestion(fd int) (string, error) { return tcpCongestion.getString(fd) }

// SetDeferAccept sets TCP_DEFER_ACCEPT on a listening socket: a connection
// is not handed to accept until its first data arrives or d has passed
// (whole seconds; zero turns it off). The kernel keeps the value as a count
// of SYN-ACK retransmissions, so DeferAccept reads back d rounded up to the
// end of the retransmission step it falls in. Linux only.
func SetDeferAccept(fd int, d time.Duration) error { return tcpDeferAccept.setDur(fd, d, time.Second) }

// DeferAccept reports TCP_DEFER_ACCEPT.
func DeferAccept(fd int) (time.Duration, error) { return tcpDeferAccept.getDur(fd, time.Second) }
