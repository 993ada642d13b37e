//go:build unix || windows

package conn

import (
	"net/netip"
	"strings"
)

// The hosts file is read here, as glibc's files backend reads it, for the
// answers Go's resolver shapes differently: it reports the names of every
// line of an address, where gethostbyaddr(3) takes the first line, and
// keeps no aliases.

// hostsLine is one entry of the hosts file: an address and its names, the
// canonical one first.
type hostsLine struct {
	ip    netip.Addr
	names []string
}

// hostsLines returns the entries of the hosts file whose address is of
// family (AF_INET, AF_INET6, or AF_UNSPEC for both), in order. As glibc
// does for AF_INET, an IPv4-mapped address counts as its IPv4 address and
// ::1 as 127.0.0.1. Lines whose address does not parse, or carries a zone,
// are skipped, as inet_pton skips them.
func hostsLines(family Family) []hostsLine {
	var out []hostsLine
	scanDB(hostsPath, func(f []string) bool {
		ip, err := netip.ParseAddr(f[0])
		if err != nil || ip.Zone() != "" {
			return false
		}
		switch {
		case family == AF_INET && ip.Is4In6():
			ip = ip.Unmap()
		case family == AF_INET && ip == netip.IPv6Loopback():
			ip = netip.AddrFrom4([4]byte{127, 0, 0, 1})
		}
		if family == AF_UNSPEC || ip.Is4() == (family == AF_INET) {
			out = append(out, hostsLine{ip: ip, names: f[1:]})
		}
		return false
	})
	return out
}

// hostFamily is the family a lookup of ip reads the hosts file for.
func hostFamily(ip netip.Addr) Family {
	if ip.Is4() {
		return AF_INET
	}
	return AF_INET6
}

// hostsByAddr returns the names of the first hosts line with ip, the
// canonical name first, as gethostbyaddr(3) reads them.
func hostsByAddr(ip netip.Addr) ([]string, bool) {
	for _, l := range hostsLines(hostFamily(ip)) {
		if l.ip == ip {
			return l.names, true
		}
	}
	return nil, false
}

// hostsByName answers gethostbyname(3) for name from the hosts file as
// glibc does with "multi on" (the setting Debian, Ubuntu and Fedora ship in
// host.conf): every line that names name, in any case, adds its address;
// the first gives the canonical name and its aliases, each later one its
// aliases and then its own canonical name if that differs. family is
// that of the addresses, as hostsLines takes it.
func hostsByName(name string, family Family) (host string, aliases []string, addrs []netip.Addr, ok bool) {
	for _, l := range hostsLines(family) {
		if !containsFold(l.names, name) {
			continue
		}
		if !ok {
			host, aliases, ok = l.names[0], append(aliases, l.names[1:]...), true
		} else {
			aliases = append(aliases, l.names[1:]...)
			if l.names[0] != host {
				aliases = append(aliases, l.names[0])
			}
		}
		addrs = append(addrs, l.ip)
	}
	return host, aliases, addrs, ok
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
