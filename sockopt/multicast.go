//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package sockopt

import (
	"net/netip"
	"os"

	"golang.org/x/sys/unix"
)

// JoinGroup4 sets IP_ADD_MEMBERSHIP: the socket receives the IPv4 multicast
// group on the interface with address ifaddr (the zero or unspecified
// address lets the kernel choose).
func JoinGroup4(fd int, group, ifaddr netip.Addr) error {
	return mreq4(fd, unix.IP_ADD_MEMBERSHIP, "IP_ADD_MEMBERSHIP", group, ifaddr)
}

// LeaveGroup4 sets IP_DROP_MEMBERSHIP, undoing JoinGroup4.
func LeaveGroup4(fd int, group, ifaddr netip.Addr) error {
	return mreq4(fd, unix.IP_DROP_MEMBERSHIP, "IP_DROP_MEMBERSHIP", group, ifaddr)
}

func mreq4(fd, opt int, name string, group, ifaddr netip.Addr) error {
	if !group.Is4() || (ifaddr.IsValid() && !ifaddr.Is4()) {
		return &Error{Option: name, Err: os.NewSyscallError("setsockopt", unix.EINVAL)}
	}
	m := unix.IPMreq{Multiaddr: group.As4()}
	if ifaddr.IsValid() {
		m.Interface = ifaddr.As4()
	}
	if err := unix.SetsockoptIPMreq(fd, unix.IPPROTO_IP, opt, &m); err != nil {
		return &Error{Option: name, Err: os.NewSyscallError("setsockopt", err)}
	}
	return nil
}

// JoinGroup6 sets IPV6_JOIN_GROUP: the socket receives the IPv6 multicast
// group on the interface with index ifindex (0 lets the kernel choose).
func JoinGroup6(fd int, group netip.Addr, ifindex int) error {
	return mreq6(fd, unix.IPV6_JOIN_GROUP, "IPV6_JOIN_GROUP", group, ifindex)
}

// LeaveGroup6 sets IPV6_LEAVE_GROUP, undoing JoinGroup6.
func LeaveGroup6(fd int, group netip.Addr, ifindex int) error {
	return mreq6(fd, unix.IPV6_LEAVE_GROUP, "IPV6_LEAVE_GROUP", group, ifindex)
}

func mreq6(fd, opt int, name string, group netip.Addr, ifindex int) error {
	if !group.Is6() || group.Is4In6() {
		return &Error{Option: name, Err: os.NewSyscallError("setsockopt", unix.EINVAL)}
	}
	m := unix.IPv6Mreq{Multiaddr: group.As16(), Interface: uint32(ifindex)}
	if err := unix.SetsockoptIPv6Mreq(fd, unix.IPPROTO_IPV6, opt, &m); err != nil {
		return &Error{Option: name, Err: os.NewSyscallError("setsockopt", err)}
	}
	return nil
}

// SetMulticastInterface4 sets IP_MULTICAST_IF: outgoing IPv4 multicast
// leaves through the interface with address ifaddr.
func SetMulticastInterface4(fd int, ifaddr netip.Addr) error {
	if !ifaddr.Is4() {
		return &Error{Option: "IP_MULTICAST_IF", Err: os.NewSyscallError("setsockopt", unix.EINVAL)}
	}
	if err := unix.SetsockoptInet4Addr(fd, unix.IPPROTO_IP, unix.IP_MULTICAST_IF, ifaddr.As4()); err != nil {
		return &Error{Option: "IP_MULTICAST_IF", Err: os.NewSyscallError("setsockopt", err)}
	}
	return nil
}

// MulticastInterface4 reports IP_MULTICAST_IF as an interface address.
func MulticastInterface4(fd int) (netip.Addr, error) {
	a, err := unix.GetsockoptInet4Addr(fd, unix.IPPROTO_IP, unix.IP_MULTICAST_IF)
	if err != nil {
		return netip.Addr{}, &Error{Option: "IP_MULTICAST_IF", Err: os.NewSyscallError("getsockopt", err)}
	}
	return netip.AddrFrom4(a), nil
}

// SetMulticastInterface6 sets IPV6_MULTICAST_IF: outgoing IPv6 multicast
// leaves through the interface with index ifindex.
func SetMulticastInterface6(fd, ifindex int) error { return ipv6MIf.setInt(fd, ifindex) }

// MulticastInterface6 reports IPV6_MULTICAST_IF.
func MulticastInterface6(fd int) (int, error) { return ipv6MIf.getInt(fd) }

// SetMulticastLoop4 sets IP_MULTICAST_LOOP: the host's own IPv4 multicast
// is looped back to its listening sockets.
func SetMulticastLoop4(fd int, on bool) error { return ipMLoop.setBool(fd, on) }

// MulticastLoop4 reports IP_MULTICAST_LOOP.
func MulticastLoop4(fd int) (bool, error) { return ipMLoop.getBool(fd) }

// SetMulticastLoop6 sets IPV6_MULTICAST_LOOP, as SetMulticastLoop4 for IPv6.
func SetMulticastLoop6(fd int, on bool) error { return ipv6MLoop.setBool(fd, on) }

// MulticastLoop6 reports IPV6_MULTICAST_LOOP.
func MulticastLoop6(fd int) (bool, error) { return ipv6MLoop.getBool(fd) }

// SetMulticastTTL4 sets IP_MULTICAST_TTL, the time-to-live of outgoing IPv4
// multicast (0 to 255).
func SetMulticastTTL4(fd, ttl int) error { return ipMTTL.setInt(fd, ttl) }

// MulticastTTL4 reports IP_MULTICAST_TTL.
func MulticastTTL4(fd int) (int, error) { return ipMTTL.getInt(fd) }

// SetMulticastHops6 sets IPV6_MULTICAST_HOPS, the hop limit of outgoing IPv6
// multicast; -1 means the default.
func SetMulticastHops6(fd, hops int) error { return ipv6MHops.setInt(fd, hops) }

// MulticastHops6 reports IPV6_MULTICAST_HOPS.
func MulticastHops6(fd int) (int, error) { return ipv6MHops.getInt(fd) }
