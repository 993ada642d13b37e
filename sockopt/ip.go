//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package sockopt

// SetV6Only sets IPV6_V6ONLY: an AF_INET6 socket handles IPv6 only, not
// IPv4-mapped addresses too. Set it before bind.
func SetV6Only(fd int, on bool) error { return ipv6V6Only.setBool(fd, on) }

// V6Only reports IPV6_V6ONLY.
func V6Only(fd int) (bool, error) { return ipv6V6Only.getBool(fd) }

// SetTOS sets IP_TOS, the type-of-service (DSCP and ECN) byte of outgoing
// IPv4 packets.
func SetTOS(fd, tos int) error { return ipTOS.setInt(fd, tos) }

// TOS reports IP_TOS.
func TOS(fd int) (int, error) { return ipTOS.getInt(fd) }

// SetTrafficClass sets IPV6_TCLASS, the traffic class of outgoing IPv6
// packets.
func SetTrafficClass(fd, class int) error { return ipv6TClass.setInt(fd, class) }

// TrafficClass reports IPV6_TCLASS.
func TrafficClass(fd int) (int, error) { return ipv6TClass.getInt(fd) }

// SetTTL sets IP_TTL, the time-to-live of outgoing unicast IPv4 packets.
func SetTTL(fd, ttl int) error { return ipTTL.setInt(fd, ttl) }

// TTL reports IP_TTL.
func TTL(fd int) (int, error) { return ipTTL.getInt(fd) }

// SetHopLimit sets IPV6_UNICAST_HOPS, the hop limit of outgoing unicast IPv6
// packets; -1 means the route's default.
func SetHopLimit(fd, hops int) error { return ipv6Hops.setInt(fd, hops) }

// HopLimit reports IPV6_UNICAST_HOPS.
func HopLimit(fd int) (int, error) { return ipv6Hops.getInt(fd) }
