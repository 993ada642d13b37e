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
// name from /etc/services. Family 0 means both families. The socket kinds
// are glibc's: with type and protocol 0, a number (or no port) gives one
// result each for SOCK_STREAM/IPPROTO_TCP, SOCK_DGRAM/IPPROTO_UDP and
// SOCK_RAW/0, and a service name one for each protocol (TCP, UDP, DCCP,
// UDP-Lite, SCTP) that the services file lists it for; a type or protocol
// picks the first kind that fits (SOCK_SEQPACKET is SCTP's, protocol
// 132); SOCK_RAW takes no service. AI_CANONNAME gives, as glibc does, the
// first name of the first hosts-file line that names the host, else the
// DNS CNAME target, else the host itself.
//
// Where results can differ from glibc's: the order is the resolver's (no
// RFC 6724 sorting by gai.conf); AI_ADDRCONFIG counts loopback addresses,
// so hosts with only loopback still resolve; a port number above 65535 is
// refused with EAI_SERVICE, where glibc keeps its low 16 bits.
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
	kinds, err := aiKinds(port, typ, proto, flags)
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
				ai.Addr = Inet4Addr{IP: ip, Port: k.port}
			} else {
				ai.Family = AF_INET6
				a := Inet6Addr{IP: ip.WithZone(""), Port: k.port}
				a.ScopeID, _ = aiScope(ip)
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

// aiRow is one row of glibc's table of the socket types and protocols
// getaddrinfo knows (gaih_inet_typeproto): the type, the protocol, the
// protocol name a named service is looked up with in the services file,
// whether a request with neither type nor protocol gets the row, and
// whether the row is SOCK_RAW, which takes any protocol and no service.
type aiRow struct {
	typ   Type
	proto Proto
	name  string
	dflt  bool
	raw   bool
}

// The kinds glibc knows beyond the portable constants (Linux numbers).
const (
	sockDCCP       Type  = 6
	ipprotoDCCP    Proto = 33
	ipprotoSCTP    Proto = 132
	ipprotoUDPLite Proto = 136
)

var aiRows = []aiRow{
	{typ: SOCK_STREAM, proto: IPPROTO_TCP, name: "tcp", dflt: true},
	{typ: SOCK_DGRAM, proto: IPPROTO_UDP, name: "udp", dflt: true},
	{typ: sockDCCP, proto: ipprotoDCCP, name: "dccp"},
	{typ: SOCK_DGRAM, proto: ipprotoUDPLite, name: "udplite"},
	{typ: SOCK_STREAM, proto: ipprotoSCTP, name: "sctp"},
	{typ: SOCK_SEQPACKET, proto: ipprotoSCTP, name: "sctp"},
	{typ: SOCK_RAW, name: "raw", dflt: true, raw: true},
}

// fits reports whether the row answers a request for typ and proto (0 for
// any).
func (r aiRow) fits(typ Type, proto Proto) bool {
	return (typ == 0 || typ == r.typ) && (proto == 0 || r.raw || proto == r.proto)
}

// aiKind is one socket kind of the results, with its port.
type aiKind struct {
	typ   Type
	proto Proto
	port  int
}

// aiKinds picks the socket kinds and ports of the results as glibc does.
// Type or protocol given: the first row that fits, else EAI_SOCKTYPE (a
// type was given) or EAI_SERVICE; SOCK_RAW takes the protocol asked for
// and no service. Neither given: a number or no service gives the default
// rows (TCP, UDP, raw), a name every row whose protocol the services file
// has it for.
func aiKinds(service string, typ Type, proto Proto, flags AIFlag) ([]aiKind, error) {
	port, named, err := aiPort(service, flags)
	if err != nil {
		return nil, err
	}
	var first *aiRow
	if typ != 0 || proto != 0 {
		for i := range aiRows {
			if aiRows[i].fits(typ, proto) {
				first = &aiRows[i]
				break
			}
		}
		switch {
		case first == nil && typ != 0:
			return nil, &GAIError{Code: EAI_SOCKTYPE}
		case first == nil:
			return nil, &GAIError{Code: EAI_SERVICE, Name: service}
		case first.raw && service != "":
			return nil, &GAIError{Code: EAI_SERVICE, Name: service}
		}
	}
	kind := func(r *aiRow, port int) aiKind {
		k := aiKind{typ: r.typ, proto: r.proto, port: port}
		if r.raw {
			k.proto = proto
		}
		return k
	}
	switch {
	case first != nil && named:
		n, err := GetServByName(service, first.name)
		if err != nil {
			return nil, &GAIError{Code: EAI_SERVICE, Name: service, Err: err}
		}
		return []aiKind{kind(first, n)}, nil
	case first != nil:
		return []aiKind{kind(first, port)}, nil
	}
	var out []aiKind
	for i := range aiRows {
		r := &aiRows[i]
		switch {
		case !named && r.dflt:
			out = append(out, kind(r, port))
		case named && !r.raw:
			if n, err := GetServByName(service, r.name); err == nil {
				out = append(out, kind(r, n))
			}
		}
	}
	if len(out) == 0 {
		return nil, &GAIError{Code: EAI_SERVICE, Name: service}
	}
	return out, nil
}

// aiPort reads a numeric service; named reports a service to look up by
// name. A number outside 0-65535 is refused (glibc keeps its low 16 bits).
func aiPort(service string, flags AIFlag) (port int, named bool, err error) {
	if service == "" {
		return 0, false, nil
	}
	// glibc reads a numeric service with strtoul, which skips leading space.
	if n, err := strconv.Atoi(strings.TrimLeft(service, " \t\n\v\f\r")); err == nil {
		if n < 0 || n > 65535 {
			return 0, false, &GAIError{Code: EAI_SERVICE, Name: service}
		}
		return n, false, nil
	}
	if flags&AI_NUMERICSERV != 0 {
		return 0, false, &GAIError{Code: EAI_NONAME, Name: service}
	}
	return 0, true, nil
}

// numericHost parses host as glibc's getaddrinfo does a numeric one: an
// IP literal, or an IPv4 address in any form inet_aton takes ("127.1",
// "0x7f000001", "10"), nothing after it.
func numericHost(host string) (netip.Addr, bool) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip, true
	}
	if strings.ContainsAny(host, " \t\n\v\f\r") {
		return netip.Addr{}, false
	}
	b, err := InetAton(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4([4]byte(b)), true
}

// aiScope is the scope id of ip's zone as glibc reads it: an interface
// name for a link-local address (unicast, or multicast of link or node
// scope), else a number; false for a zone it cannot read.
func aiScope(ip netip.Addr) (uint32, bool) {
	zone := ip.Zone()
	if zone == "" {
		return 0, true
	}
	if ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() {
		if ifi, err := net.InterfaceByName(zone); err == nil {
			return uint32(ifi.Index), true
		}
	}
	n, err := strconv.ParseUint(zone, 10, 32)
	return uint32(n), err == nil
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
	} else if ip, ok := numericHost(host); ok {
		if _, ok := aiScope(ip); !ok {
			return nil, "", &GAIError{Code: EAI_NONAME, Name: host}
		}
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
			if h, _, _, ok := hostsByName(host, family); ok {
				canon = h // glibc's files backend: the line's first name
			} else if c, err := net.DefaultResolver.LookupCNAME(ctx, host); err == nil && c != "" {
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
