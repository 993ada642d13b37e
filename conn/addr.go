//go:build unix || windows

package conn

import (
	"context"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// Addr is a socket address of one family. It is also a net.Addr. Values
// come from the typed address structs below, or from Inet4 / Inet6, whose
// host names are resolved when the address is used.
type Addr interface {
	net.Addr
	// Family returns the address family the address belongs to.
	Family() Family
	sockaddr() (sysSockaddr, error)
}

// Inet4Addr is an AF_INET address: an IPv4 address and a port.
type Inet4Addr struct {
	IP   netip.Addr
	Port int
}

// Inet6Addr is an AF_INET6 address with its flow information (host byte
// order; the 20-bit flow label, so at most 0xfffff, as CPython checks) and
// scope id. A non-zero FlowInfo reaches bind, connect, sendto and sendmsg
// (the kernel uses it with IPV6_FLOWINFO_SEND). Addresses the
// kernel reports come back with FlowInfo 0: x/sys drops the field, and
// Linux reports 0 there unless flow labels are in use.
type Inet6Addr struct {
	IP       netip.Addr
	Port     int
	FlowInfo uint32
	ScopeID  uint32
}

// UnixAddr is an AF_UNIX address: a file system path, or a Linux abstract
// name (Abstract true; the name without its leading NUL). A Path that
// begins with a NUL byte is abstract too, as in CPython; one that begins
// with '@' is a path like any other (refused on Windows, where x/sys would
// send it as abstract). The zero value is the unnamed address: unbound
// sockets and either end of a Socketpair report it. A path may take 107
// bytes (sun_path less its NUL; 103 on the BSDs), an abstract name all 108
// with its NUL.
type UnixAddr struct {
	Path     string
	Abstract bool
}

// HostAddr is an unresolved (host, port) address, as Python's tuples are:
// Host is an IP literal, "" (any address), "<broadcast>", or a name that is
// resolved, for the family, when the address is used.
type HostAddr struct {
	Fam  Family
	Host string
	Port int
}

// Inet4 returns the AF_INET address (host, port), resolved when used.
func Inet4(host string, port int) HostAddr { return HostAddr{Fam: AF_INET, Host: host, Port: port} }

// Inet6 returns the AF_INET6 address (host, port), resolved when used; host
// may carry a "%zone" suffix.
func Inet6(host string, port int) HostAddr { return HostAddr{Fam: AF_INET6, Host: host, Port: port} }

// Family returns AF_INET.
func (a Inet4Addr) Family() Family { return AF_INET }

// Network returns "ip4".
func (a Inet4Addr) Network() string { return "ip4" }

// String returns "IP:PORT".
func (a Inet4Addr) String() string { return netip.AddrPortFrom(a.IP, uint16(a.Port)).String() }

func (a Inet4Addr) sockaddr() (sysSockaddr, error) {
	if !a.IP.Is4() {
		return nil, addrErr("AF_INET address must be IPv4", a.IP.String())
	}
	if err := checkPort(a.Port); err != nil {
		return nil, err
	}
	return &sysSockaddrInet4{Port: a.Port, Addr: a.IP.As4()}, nil
}

// Family returns AF_INET6.
func (a Inet6Addr) Family() Family { return AF_INET6 }

// Network returns "ip6".
func (a Inet6Addr) Network() string { return "ip6" }

// String returns "[IP%zone]:PORT".
func (a Inet6Addr) String() string {
	ip := a.IP
	if a.ScopeID != 0 && ip.Zone() == "" {
		ip = ip.WithZone(strconv.FormatUint(uint64(a.ScopeID), 10))
	}
	return netip.AddrPortFrom(ip, uint16(a.Port)).String()
}

func (a Inet6Addr) sockaddr() (sysSockaddr, error) {
	if !a.IP.Is6() {
		return nil, addrErr("AF_INET6 address must be IPv6", a.IP.String())
	}
	if err := checkPort(a.Port); err != nil {
		return nil, err
	}
	if err := checkFlowInfo(a.FlowInfo); err != nil {
		return nil, err
	}
	scope := a.ScopeID
	if scope == 0 && a.IP.Zone() != "" {
		idx, err := zoneIndex(a.IP.Zone())
		if err != nil {
			return nil, err
		}
		scope = idx
	}
	return &sysSockaddrInet6{Port: a.Port, ZoneId: scope, Addr: a.IP.As16()}, nil
}

// Family returns AF_UNIX.
func (a UnixAddr) Family() Family { return AF_UNIX }

// Network returns "unix".
func (a UnixAddr) Network() string { return "unix" }

// String returns the path, or "@name" for an abstract name (a spelling
// for display, as Go's net uses; UnixAddr itself never reads '@').
func (a UnixAddr) String() string {
	if a.Abstract {
		return "@" + a.Path
	}
	return a.Path
}

func (a UnixAddr) sockaddr() (sysSockaddr, error) {
	name, err := a.sunPath()
	switch {
	case err != nil:
		return nil, err
	case name != "" && name[0] == 0:
		name = "@" + name[1:] // x/sys's spelling of the NUL
	case strings.HasPrefix(name, "@") && !rawUnixNames:
		return nil, addrErr("x/sys takes a path beginning with '@' as abstract here", a.Path)
	}
	return &sysSockaddrUnix{Name: name}, nil
}

// sunPath returns the bytes of sun_path for a: the path, or a NUL and the
// abstract name. As CPython does, it refuses a path that leaves no room for
// its NUL and an abstract name longer than sun_path.
func (a UnixAddr) sunPath() (string, error) {
	name := a.Path
	if a.Abstract {
		name = "\x00" + name
	}
	abstract := name != "" && name[0] == 0
	if abstract && !abstractNames {
		return "", addrErr("abstract AF_UNIX names are Linux-only", a.String())
	}
	if len(name) > sunPathLen || !abstract && len(name) == sunPathLen {
		return "", addrErr("AF_UNIX path too long", a.String())
	}
	return name, nil
}

// sunPathLen is the size of sun_path.
const sunPathLen = len(sysRawSockaddrUnix{}.Path)

// Family returns the family the host is resolved for.
func (a HostAddr) Family() Family { return a.Fam }

// Network returns "ip4" or "ip6".
func (a HostAddr) Network() string {
	if a.Fam == AF_INET6 {
		return "ip6"
	}
	return "ip4"
}

// String returns "host:port".
func (a HostAddr) String() string { return net.JoinHostPort(a.Host, strconv.Itoa(a.Port)) }

func (a HostAddr) sockaddr() (sysSockaddr, error) {
	r, err := a.Resolve()
	if err != nil {
		return nil, err
	}
	return r.sockaddr()
}

// Resolve turns the host into an IP address of the family, as Python does
// for address tuples: "" is the any address, "<broadcast>" 255.255.255.255,
// an IP literal itself (an IPv4 one for AF_INET6 is a *GAIError with
// EAI_ADDRFAMILY, as CPython's), and a name its first address from Go's
// resolver (a failed lookup is a *GAIError).
func (a HostAddr) Resolve() (Addr, error) {
	if err := checkPort(a.Port); err != nil {
		return nil, err
	}
	host, zone, _ := strings.Cut(a.Host, "%")
	var ip netip.Addr
	switch {
	case a.Fam != AF_INET && a.Fam != AF_INET6:
		return nil, addrErr("host addresses need AF_INET or AF_INET6, not "+a.Fam.String(), a.Host)
	case host == "" && a.Fam == AF_INET:
		ip = netip.IPv4Unspecified()
	case host == "":
		ip = netip.IPv6Unspecified()
	case host == "<broadcast>" && a.Fam == AF_INET:
		ip = netip.AddrFrom4([4]byte{255, 255, 255, 255})
	default:
		var numeric bool
		if ip, numeric = numericHost(host); !numeric {
			network := "ip4"
			if a.Fam == AF_INET6 {
				network = "ip6"
			}
			ips, lerr := net.DefaultResolver.LookupNetIP(context.Background(), network, host)
			if lerr != nil {
				return nil, lookupGAIError(a.Host, lerr)
			}
			if len(ips) == 0 {
				return nil, &GAIError{Code: EAI_NONAME, Name: a.Host}
			}
			ip = ips[0]
		}
	}
	if a.Fam == AF_INET {
		if ip.Is4In6() {
			ip = ip.Unmap()
		}
		return Inet4Addr{IP: ip, Port: a.Port}, nil
	}
	if ip.Is4() {
		// An IPv4 literal for an IPv6 socket: CPython's getaddrinfo says
		// EAI_ADDRFAMILY, rather than mapping it (write ::ffff:a.b.c.d).
		return nil, &GAIError{Code: EAI_ADDRFAMILY, Name: a.Host}
	}
	out := Inet6Addr{IP: ip, Port: a.Port}
	if zone != "" {
		// As getaddrinfo reads it (aiScope): CPython resolves through it.
		idx, ok := aiScope(ip.WithZone(zone))
		if !ok {
			return nil, &GAIError{Code: EAI_NONAME, Name: a.Host}
		}
		out.ScopeID = idx
	}
	return out, nil
}

func checkPort(port int) error {
	if port < 0 || port > 65535 {
		return addrErr("port must be 0-65535", strconv.Itoa(port))
	}
	return nil
}

// maxFlowInfo is the largest flow label, 20 bits.
const maxFlowInfo = 1<<20 - 1

func checkFlowInfo(flow uint32) error {
	if flow > maxFlowInfo {
		return addrErr("flowinfo must be 0-1048575", strconv.FormatUint(uint64(flow), 10))
	}
	return nil
}

// zoneIndex turns a zone (interface name or number) into a scope id.
func zoneIndex(zone string) (uint32, error) {
	if n, err := strconv.ParseUint(zone, 10, 32); err == nil {
		return uint32(n), nil
	}
	ifi, err := net.InterfaceByName(zone)
	if err != nil {
		return 0, addrErr("unknown interface", zone)
	}
	return uint32(ifi.Index), nil
}

// decodeAddr turns a kernel address into a typed Addr; nil stays nil.
func decodeAddr(sa sysSockaddr) Addr {
	switch sa := sa.(type) {
	case nil:
		return nil
	case *sysSockaddrInet4:
		return Inet4Addr{IP: netip.AddrFrom4(sa.Addr), Port: sa.Port}
	case *sysSockaddrInet6:
		return Inet6Addr{IP: netip.AddrFrom16(sa.Addr), Port: sa.Port, ScopeID: sa.ZoneId}
	case *sysSockaddrUnix:
		return unixFromGo(sa.Name)
	}
	return decodeOSAddr(sa)
}

// unixFromGo reads an AF_UNIX name as x/sys and Go's net spell it, where a
// leading '@' stands for the NUL of an abstract name (where there are
// abstract names).
func unixFromGo(name string) UnixAddr {
	if abstractNames && strings.HasPrefix(name, "@") {
		return UnixAddr{Path: name[1:], Abstract: true}
	}
	return UnixAddr{Path: name}
}

// encodeAddr checks that addr belongs to the socket's family and encodes it.
func (s *Socket) encodeAddr(addr Addr) (sysSockaddr, error) {
	if addr == nil {
		return nil, addrErr("missing address", "<nil>")
	}
	if h, ok := addr.(HostAddr); ok && h.Fam == 0 {
		h.Fam = s.family
		addr = h
	}
	if addr.Family() != s.family {
		return nil, addrErr(s.family.String()+" socket cannot use a "+addr.Family().String()+" address", addr.String())
	}
	return addr.sockaddr()
}
