package loop

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/netip"
	"strings"
)

// endpoint is a parsed "network://address" with the socket it needs.
type endpoint struct {
	network   string // tcp, tcp4, tcp6, udp, udp4, udp6 or unix
	address   string
	family    int
	sotype    int
	sa        sockaddr
	dualStack bool        // AF_INET6 with IPV6_V6ONLY cleared
	listener  *listener   // the listener bound to it, nil for a dial's
	tls       *tls.Config // a listener's connections speak TLS as its server
	tlsReply  []byte      // what a client of tls that does not speak TLS is told
}

func (ep *endpoint) stream() bool { return ep.sotype == sockStream }

// parseURL splits "tcp://127.0.0.1:9000" into network and address.
func parseURL(s string) (network, address string, err error) {
	network, address, ok := strings.Cut(s, "://")
	if !ok {
		return "", "", &AddrError{Addr: s, Err: errors.New(`want "network://address", such as "tcp://:9000"`)}
	}
	return network, address, nil
}

// resolveEndpoint resolves a listening or dialing address. Host names are
// looked up here, on the caller's goroutine, never on a loop.
func resolveEndpoint(network, address string) (*endpoint, error) {
	ep := &endpoint{network: network, address: address}
	if ep.setLiteral(network, address) {
		return ep, nil
	}
	switch network {
	case "tcp", "tcp4", "tcp6":
		a, err := net.ResolveTCPAddr(network, address)
		if err != nil {
			return nil, &AddrError{Addr: network + "://" + address, Err: err}
		}
		ep.sotype = sockStream
		ep.setIP(network, a.IP, a.Port, a.Zone)
	case "udp", "udp4", "udp6":
		a, err := net.ResolveUDPAddr(network, address)
		if err != nil {
			return nil, &AddrError{Addr: network + "://" + address, Err: err}
		}
		ep.sotype = sockDgram
		ep.setIP(network, a.IP, a.Port, a.Zone)
	case "unix":
		if address == "" {
			return nil, &AddrError{Addr: "unix://", Err: errors.New("empty path")}
		}
		ep.family, ep.sotype = afUnix, sockStream
		ep.sa = &sockaddrUnix{Name: address}
	default:
		return nil, &AddrError{Addr: network + "://" + address, Err: net.UnknownNetworkError(network)}
	}
	return ep, nil
}

// hostName reports whether address names a host that must be looked up:
// a tcp address whose host is neither empty nor an IP literal.
func hostName(network, address string) bool {
	if !strings.HasPrefix(network, "tcp") {
		return false
	}
	host, _, err := net.SplitHostPort(address)
	if err != nil || host == "" {
		return false
	}
	_, err = netip.ParseAddr(host)
	return err != nil
}

// resolveEndpointContext is resolveEndpoint with a host name of a tcp
// network looked up by r (nil: net.DefaultResolver) under ctx: the first
// address of the network's family, an IPv4 one first for plain tcp, as
// net.ResolveTCPAddr picks.
func resolveEndpointContext(ctx context.Context, r *net.Resolver, network, address string) (*endpoint, error) {
	if !hostName(network, address) {
		return resolveEndpoint(network, address)
	}
	host, port, _ := net.SplitHostPort(address)
	fail := func(err error) error { return &AddrError{Addr: network + "://" + address, Err: err} }
	if r == nil {
		r = net.DefaultResolver
	}
	family := "ip" + strings.TrimPrefix(network, "tcp")
	ips, err := r.LookupNetIP(ctx, family, host)
	if err != nil {
		return nil, fail(err)
	}
	portNum, err := r.LookupPort(ctx, network, port)
	if err != nil {
		return nil, fail(err)
	}
	pick := ips[0]
	if family == "ip" {
		for _, ip := range ips {
			if ip.Unmap().Is4() {
				pick = ip
				break
			}
		}
	}
	return resolveEndpoint(network, netip.AddrPortFrom(pick.Unmap(), uint16(portNum)).String())
}

func (ep *endpoint) setIP(network string, ip net.IP, port int, zone string) {
	ip4 := ip.To4()
	switch {
	case network[len(network)-1] == '4' || (network[len(network)-1] != '6' && ip4 != nil && !ip.IsUnspecified()):
		sa := &sockaddrInet4{Port: port}
		if ip4 != nil {
			copy(sa.Addr[:], ip4)
		}
		ep.family, ep.sa = afInet, sa
	default:
		sa := &sockaddrInet6{Port: port, ZoneId: zoneIndex(zone)}
		copy(sa.Addr[:], ip.To16())
		ep.family, ep.sa = afInet6, sa
		// "tcp://:9000" and "tcp://0.0.0.0:9000" serve both families, as net does.
		ep.dualStack = network[len(network)-1] != '6' && (ip == nil || ip.IsUnspecified())
	}
}

// setLiteral fills in an IP network's endpoint for the common address of
// a dial or a listener, a specified IP literal and a numeric port of the
// network's family, without net's resolver and its allocations (a proxy
// dials once per client). It reports false, leaving the rest to
// resolveEndpoint, for anything else: names, services, zones, unspecified
// or mismatched addresses.
func (ep *endpoint) setLiteral(network, address string) bool {
	var sotype int
	switch network {
	case "tcp", "tcp4", "tcp6":
		sotype = sockStream
	case "udp", "udp4", "udp6":
		sotype = sockDgram
	default:
		return false
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return false
	}
	ip := ap.Addr()
	if ip.Zone() != "" || ip.IsUnspecified() {
		return false
	}
	is4 := ip.Unmap().Is4()
	switch network[len(network)-1] {
	case '4':
		if !is4 {
			return false
		}
	case '6':
		if is4 {
			return false
		}
	}
	ep.sotype = sotype
	if is4 {
		ep.family, ep.sa = afInet, &sockaddrInet4{Port: int(ap.Port()), Addr: ip.Unmap().As4()}
	} else {
		ep.family, ep.sa = afInet6, &sockaddrInet6{Port: int(ap.Port()), Addr: ip.As16()}
	}
	return true
}

func zoneIndex(zone string) uint32 {
	if zone == "" {
		return 0
	}
	if ifi, err := net.InterfaceByName(zone); err == nil {
		return uint32(ifi.Index)
	}
	return 0
}

// netAddr converts a socket address to the net.Addr of the given network.
func netAddr(network string, sa sockaddr) net.Addr {
	var ip net.IP
	var port int
	var zone string
	switch a := sa.(type) {
	case *sockaddrInet4:
		ip, port = net.IPv4(a.Addr[0], a.Addr[1], a.Addr[2], a.Addr[3]), a.Port
	case *sockaddrInet6:
		ip, port = append(net.IP(nil), a.Addr[:]...), a.Port
		if a.ZoneId != 0 {
			if ifi, err := net.InterfaceByIndex(int(a.ZoneId)); err == nil {
				zone = ifi.Name
			}
		}
	case *sockaddrUnix:
		return &net.UnixAddr{Name: a.Name, Net: "unix"}
	default:
		return nil
	}
	if strings.HasPrefix(network, "udp") {
		return &net.UDPAddr{IP: ip, Port: port, Zone: zone}
	}
	return &net.TCPAddr{IP: ip, Port: port, Zone: zone}
}

// addrHash hashes the IP of sa (FNV-1a) for SourceAddrHash.
func addrHash(sa sockaddr) uint32 {
	var b []byte
	switch a := sa.(type) {
	case *sockaddrInet4:
		b = a.Addr[:]
	case *sockaddrInet6:
		b = a.Addr[:]
	case *sockaddrUnix:
		b = []byte(a.Name)
	}
	h := uint32(2166136261)
	for _, c := range b {
		h ^= uint32(c)
		h *= 16777619
	}
	return h
}
