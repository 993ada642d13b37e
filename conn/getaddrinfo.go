//go:build unix || windows

package conn

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// AddrInfo is one result of GetAddrInfo.
type AddrInfo struct {
	Family    Family
	Type      Type
	Proto     Proto
	CanonName string // set on the first result with AI_CANONNAME
	Addr      Addr   // Inet4Addr or Inet6Addr
}

// GetAddrInfo resolves host and port into socket addresses, as
// getaddrinfo(3), with Go's resolver (no cgo): /etc/hosts, then DNS.
// host "" is Python's None (the loopback addresses, or the any addresses
// with AI_PASSIVE); port "" is None (port 0), else a number or a service
// name from /etc/services. Family 0 means both families, type 0 means one
// result each for SOCK_STREAM, SOCK_DGRAM and SOCK_RAW.
//
// Where results can differ from glibc's: the order is the resolver's (no
// RFC 6724 sorting by gai.conf); AI_CANONNAME gives the DNS CNAME target or
// the host itself, not the first name of an /etc/hosts line; AI_ADDRCONFIG
// counts loopback addresses, so hosts with only loopback still resolve.
func GetAddrInfo(ctx context.Context, host, port string, family Family, typ Type, proto Proto, flags AIFlag) ([]AddrInfo, error) {
	if flags&^(AI_PASSIVE|AI_CANONNAME|AI_NUMERICHOST|AI_V4MAPPED|AI_ALL|AI_ADDRCONFIG|AI_NUMERICSERV) != 0 {
		return nil, &GAIError{Code: EAI_BADFLAGS}
	}
	if family != AF_UNSPEC && family != AF_INET && family != AF_INET6 {
		return nil, &GAIError{Code: EAI_FAMILY}
	}
	if host == "" && port == "" {
		return nil, &GAIError{Code: EAI_NONAME}
	}
	kinds, err := aiKinds(typ, proto)
	if err != nil {
		return nil, err
	}
	portNum, err := aiPort(port, kinds[0].typ, flags)
	if err != nil {
		return nil, err
	}
	ips, canon, err := aiHosts(ctx, host, family, flags)
	if err != nil {
		return nil, err
	}
	var out []AddrInfo
	for _, ip := range ips {
		for _, k := range kinds {
			ai := AddrInfo{Family: AF_INET, Type: k.typ, Proto: k.proto}
			if ip.Is4() {
				ai.Addr = Inet4Addr{IP: ip, Port: portNum}
			} else {
				ai.Family = AF_INET6
				a := Inet6Addr{IP: ip.WithZone(""), Port: portNum}
				if z := ip.Zone(); z != "" {
					a.ScopeID, _ = zoneIndex(z)
				}
				ai.Addr = a
			}
			out = append(out, ai)
		}
	}
	if len(out) > 0 && flags&AI_CANONNAME != 0 {
		out[0].CanonName = canon
	}
	return out, nil
}

type aiKind struct {
	typ   Type
	proto Proto
}

func aiKinds(typ Type, proto Proto) ([]aiKind, error) {
	switch typ {
	case 0:
		all := []aiKind{{SOCK_STREAM, IPPROTO_TCP}, {SOCK_DGRAM, IPPROTO_UDP}, {SOCK_RAW, 0}}
		if proto == 0 {
			return all, nil
		}
		var out []aiKind
		for _, k := range all {
			if k.proto == proto || k.typ == SOCK_RAW {
				out = append(out, aiKind{k.typ, proto})
			}
		}
		return out, nil
	case SOCK_STREAM:
		return []aiKind{{SOCK_STREAM, cmpOr(proto, IPPROTO_TCP)}}, nil
	case SOCK_DGRAM:
		return []aiKind{{SOCK_DGRAM, cmpOr(proto, IPPROTO_UDP)}}, nil
	case SOCK_RAW, SOCK_SEQPACKET:
		return []aiKind{{typ, proto}}, nil
	}
	return nil, &GAIError{Code: EAI_SOCKTYPE}
}

func cmpOr(p, def Proto) Proto {
	if p == 0 {
		return def
	}
	return p
}

func aiPort(port string, typ Type, flags AIFlag) (int, error) {
	if port == "" {
		return 0, nil
	}
	if n, err := strconv.Atoi(port); err == nil {
		if n < 0 || n > 65535 {
			return 0, &GAIError{Code: EAI_SERVICE, Name: port}
		}
		return n, nil
	}
	if flags&AI_NUMERICSERV != 0 {
		return 0, &GAIError{Code: EAI_NONAME, Name: port}
	}
	proto := "tcp"
	if typ == SOCK_DGRAM {
		proto = "udp"
	}
	n, err := GetServByName(port, proto)
	if err != nil {
		return 0, &GAIError{Code: EAI_SERVICE, Name: port, Err: err}
	}
	return n, nil
}

// aiHosts returns the addresses of host for family, and its canonical name.
func aiHosts(ctx context.Context, host string, family Family, flags AIFlag) ([]netip.Addr, string, error) {
	var ips []netip.Addr
	canon := host
	if host == "" {
		if flags&AI_PASSIVE != 0 {
			ips = []netip.Addr{netip.IPv4Unspecified(), netip.IPv6Unspecified()}
		} else {
			ips = []netip.Addr{netip.IPv6Loopback(), netip.AddrFrom4([4]byte{127, 0, 0, 1})}
		}
	} else if ip, err := netip.ParseAddr(host); err == nil {
		ips = []netip.Addr{ip}
		if family == AF_INET && ip.Is6() || family == AF_INET6 && ip.Is4() && flags&AI_V4MAPPED == 0 {
			return nil, "", &GAIError{Code: EAI_ADDRFAMILY, Name: host}
		}
	} else if flags&AI_NUMERICHOST != 0 {
		return nil, "", &GAIError{Code: EAI_NONAME, Name: host}
	} else {
		res, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, "", lookupGAIError(host, err)
		}
		for _, ip := range res {
			ips = append(ips, ip.Unmap()) // Go's resolver may hand back IPv4 as ::ffff:a.b.c.d
		}
		if flags&AI_CANONNAME != 0 {
			if c, err := net.DefaultResolver.LookupCNAME(ctx, host); err == nil && c != "" {
				canon = strings.TrimSuffix(c, ".")
			}
		}
	}
	ips = aiFilter(ips, family, flags)
	if len(ips) == 0 {
		return nil, "", &GAIError{Code: EAI_NONAME, Name: host}
	}
	return ips, canon, nil
}

// aiFilter keeps the addresses of family, mapping IPv4 for AI_V4MAPPED,
// and drops families the host has no address of for AI_ADDRCONFIG.
func aiFilter(ips []netip.Addr, family Family, flags AIFlag) []netip.Addr {
	var v4, v6 []netip.Addr
	for _, ip := range ips {
		if ip.Is4() {
			v4 = append(v4, ip)
		} else {
			v6 = append(v6, ip)
		}
	}
	if flags&AI_ADDRCONFIG != 0 {
		has4, has6 := configuredFamilies()
		if !has4 {
			v4 = nil
		}
		if !has6 {
			v6 = nil
		}
	}
	switch family {
	case AF_INET:
		return v4
	case AF_INET6:
		if flags&AI_V4MAPPED != 0 && (len(v6) == 0 || flags&AI_ALL != 0) {
			for _, ip := range v4 {
				v6 = append(v6, netip.AddrFrom16(ip.As16()))
			}
		}
		return v6
	}
	var out []netip.Addr // both families, in the order given
	for _, ip := range ips {
		if ip.Is4() && len(v4) > 0 || !ip.Is4() && len(v6) > 0 {
			out = append(out, ip)
		}
	}
	return out
}

// configuredFamilies reports whether any interface has an IPv4 and an IPv6
// address.
func configuredFamilies() (has4, has6 bool) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return true, true
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			if n.IP.To4() != nil {
				has4 = true
			} else {
				has6 = true
			}
		}
	}
	return has4, has6
}

// lookupGAIError turns a resolver error into a GAIError.
func lookupGAIError(host string, err error) error {
	code := EAI_FAIL
	var de *net.DNSError
	switch {
	case errors.As(err, &de) && de.IsNotFound:
		code = EAI_NONAME
	case errors.As(err, &de) && (de.IsTimeout || de.IsTemporary):
		code = EAI_AGAIN
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		code = EAI_AGAIN
	}
	return &GAIError{Code: code, Name: host, Err: err}
}
