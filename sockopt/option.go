//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package sockopt

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// option describes one option on this platform. The per-OS files define the
// options whose numbers or value sizes differ between systems.
type option struct {
	name  string
	level int
	num   int  // absent: the platform lacks the option
	small bool // the value is one byte (u_char), as IP_MULTICAST_TTL on the BSDs
}

// absent marks an option the platform lacks.
const absent = -1

func (o option) getInt(fd int) (int, error) {
	if o.num == absent {
		return 0, unsupported(o.name)
	}
	var v int
	var err error
	if o.small {
		var b byte
		b, err = unix.GetsockoptByte(fd, o.level, o.num)
		v = int(b)
	} else {
		v, err = unix.GetsockoptInt(fd, o.level, o.num)
	}
	if err != nil {
		return 0, &Error{Option: o.name, Err: os.NewSyscallError("getsockopt", err)}
	}
	return v, nil
}

func (o option) setInt(fd, v int) error {
	if o.num == absent {
		return unsupported(o.name)
	}
	var err error
	if o.small {
		err = unix.SetsockoptByte(fd, o.level, o.num, byte(v))
	} else {
		err = unix.SetsockoptInt(fd, o.level, o.num, v)
	}
	if err != nil {
		return &Error{Option: o.name, Err: os.NewSyscallError("setsockopt", err)}
	}
	return nil
}

func (o option) getBool(fd int) (bool, error) {
	v, err := o.getInt(fd)
	return v != 0, err
}

func (o option) setBool(fd int, on bool) error {
	v := 0
	if on {
		v = 1
	}
	return o.setInt(fd, v)
}

// getDur reads an integer option counted in units of unit.
func (o option) getDur(fd int, unit time.Duration) (time.Duration, error) {
	v, err := o.getInt(fd)
	return time.Duration(v) * unit, err
}

// setDur sets an integer option counted in units of unit, rounding d up to
// a whole unit so that a small positive duration does not become zero.
func (o option) setDur(fd int, d, unit time.Duration) error {
	if d < 0 {
		d = 0
	}
	return o.setInt(fd, int((d+unit-1)/unit))
}

func (o option) getString(fd int) (string, error) {
	if o.num == absent {
		return "", unsupported(o.name)
	}
	s, err := unix.GetsockoptString(fd, o.level, o.num)
	if err != nil {
		return "", &Error{Option: o.name, Err: os.NewSyscallError("getsockopt", err)}
	}
	return s, nil
}

func (o option) setString(fd int, s string) error {
	if o.num == absent {
		return unsupported(o.name)
	}
	if err := unix.SetsockoptString(fd, o.level, o.num, s); err != nil {
		return &Error{Option: o.name, Err: os.NewSyscallError("setsockopt", err)}
	}
	return nil
}

// Options with the same number and value size on every supported system.
var (
	soReuseAddr = option{name: "SO_REUSEADDR", level: unix.SOL_SOCKET, num: unix.SO_REUSEADDR}
	soReusePort = option{name: "SO_REUSEPORT", level: unix.SOL_SOCKET, num: unix.SO_REUSEPORT}
	soKeepAlive = option{name: "SO_KEEPALIVE", level: unix.SOL_SOCKET, num: unix.SO_KEEPALIVE}
	soRcvBuf    = option{name: "SO_RCVBUF", level: unix.SOL_SOCKET, num: unix.SO_RCVBUF}
	soSndBuf    = option{name: "SO_SNDBUF", level: unix.SOL_SOCKET, num: unix.SO_SNDBUF}
	tcpNoDelay  = option{name: "TCP_NODELAY", level: unix.IPPROTO_TCP, num: unix.TCP_NODELAY}
	ipv6V6Only  = option{name: "IPV6_V6ONLY", level: unix.IPPROTO_IPV6, num: unix.IPV6_V6ONLY}
	ipTOS       = option{name: "IP_TOS", level: unix.IPPROTO_IP, num: unix.IP_TOS}
	ipv6TClass  = option{name: "IPV6_TCLASS", level: unix.IPPROTO_IPV6, num: unix.IPV6_TCLASS}
	ipTTL       = option{name: "IP_TTL", level: unix.IPPROTO_IP, num: unix.IP_TTL}
	ipv6Hops    = option{name: "IPV6_UNICAST_HOPS", level: unix.IPPROTO_IPV6, num: unix.IPV6_UNICAST_HOPS}
	ipv6MIf     = option{name: "IPV6_MULTICAST_IF", level: unix.IPPROTO_IPV6, num: unix.IPV6_MULTICAST_IF}
	ipv6MLoop   = option{name: "IPV6_MULTICAST_LOOP", level: unix.IPPROTO_IPV6, num: unix.IPV6_MULTICAST_LOOP}
	ipv6MHops   = option{name: "IPV6_MULTICAST_HOPS", level: unix.IPPROTO_IPV6, num: unix.IPV6_MULTICAST_HOPS}
)
