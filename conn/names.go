//go:build unix || windows

package conn

import (
	"context"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// GetNameInfo turns an Inet4Addr or Inet6Addr into a host and a service,
// as getnameinfo(3): reverse lookups take the first /etc/hosts line with
// the address, as glibc does, then DNS through Go's resolver; service
// names come from /etc/services. A scoped IPv6 address gets its "%scope"
// (interface name, else number). A port outside 0-65535 or a flow label
// beyond 20 bits is an *AddrError, where CPython refuses the flow label
// and passes the port on to be cut to 16 bits.
func GetNameInfo(ctx context.Context, addr Addr, flags NIFlag) (host, service string, err error) {
	var ip netip.Addr
	var port int
	var scope uint32
	switch a := addr.(type) {
	case Inet4Addr:
		ip, port = a.IP, a.Port
	case Inet6Addr:
		if err := checkFlowInfo(a.FlowInfo); err != nil {
			return "", "", err
		}
		ip, port, scope = a.IP.WithZone(""), a.Port, a.ScopeID
	case HostAddr:
		r, err := a.Resolve()
		if err != nil {
			return "", "", &GAIError{Code: EAI_NONAME, Name: a.Host, Err: err}
		}
		return GetNameInfo(ctx, r, flags)
	default:
		return "", "", &GAIError{Code: EAI_FAMILY}
	}
	if !ip.IsValid() {
		return "", "", &GAIError{Code: EAI_NONAME}
	}
	if err := checkPort(port); err != nil {
		return "", "", err
	}
	host = ip.String()
	if flags&NI_NUMERICHOST == 0 {
		names, lerr := hostNames(ctx, ip)
		switch {
		case lerr == nil:
			host = names[0]
			if flags&NI_NOFQDN != 0 {
				host, _, _ = strings.Cut(host, ".")
			}
			scope = 0
		case flags&NI_NAMEREQD != 0:
			return "", "", &GAIError{Code: EAI_NONAME, Name: host, Err: lerr}
		}
	}
	if scope != 0 {
		zone := strconv.FormatUint(uint64(scope), 10)
		if ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() {
			// glibc names the interface for link-local scopes only.
			if ifi, err := net.InterfaceByIndex(int(scope)); err == nil {
				zone = ifi.Name
			}
		}
		host += "%" + zone
	}
	service = strconv.Itoa(port)
	if flags&NI_NUMERICSERV == 0 {
		proto := "tcp"
		if flags&NI_DGRAM != 0 {
			proto = "udp"
		}
		if name, err := GetServByPort(port, proto); err == nil {
			service = name
		}
	}
	return host, service, nil
}

// GetHostName returns the host's name (gethostname(2)).
func GetHostName() (string, error) { return os.Hostname() }

// GetFQDN returns a fully qualified name for name (the local host if "" or
// "0.0.0.0"), as Python's getfqdn: the first of the names found by a
// reverse lookup of its address that contains a dot, else the name.
func GetFQDN(name string) string {
	name = strings.TrimSpace(name)
	if name == "" || name == "0.0.0.0" || name == "::" {
		h, err := os.Hostname()
		if err != nil {
			return name
		}
		name = h
	}
	host, aliases, _, err := GetHostByAddr(name)
	if err != nil {
		return name
	}
	for _, n := range append([]string{host}, aliases...) {
		if strings.Contains(n, ".") {
			return n
		}
	}
	return host
}

// GetHostByName returns the first IPv4 address of name, in text.
func GetHostByName(name string) (string, error) {
	_, _, addrs, err := GetHostByNameEx(name)
	if err != nil {
		return "", err
	}
	return addrs[0], nil
}

// GetHostByNameEx returns the name, its aliases and its IPv4 addresses, as
// gethostbyname(3). A name in the hosts file is answered from it as glibc
// answers (with host.conf's "multi on"): the canonical name of the first
// line that names it, the aliases of every such line, and their addresses.
// Otherwise Go's resolver answers, and the aliases are the name when DNS
// gives a CNAME target that differs.
func GetHostByNameEx(name string) (host string, aliases, addrs []string, err error) {
	ctx := context.Background()
	if ip, err := netip.ParseAddr(name); err == nil && ip.Is4() {
		return name, nil, []string{name}, nil
	}
	if host, aliases, ips, ok := hostsByName(name, AF_INET); ok {
		for _, ip := range ips {
			addrs = append(addrs, ip.String())
		}
		return host, aliases, addrs, nil
	}
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip4", name)
	if err != nil || len(ips) == 0 {
		return "", nil, nil, &GAIError{Code: EAI_NONAME, Name: name, Err: err}
	}
	for _, ip := range ips {
		addrs = append(addrs, ip.Unmap().String())
	}
	host = name
	if c, err := net.DefaultResolver.LookupCNAME(ctx, name); err == nil {
		if c = strings.TrimSuffix(c, "."); c != "" && c != name {
			host, aliases = c, []string{name}
		}
	}
	return host, aliases, addrs, nil
}

// GetHostByAddr returns the primary name, aliases and addresses of an
// address (or of the first address of a name), as gethostbyaddr(3): from
// the first line of the hosts file with the address, as glibc reads it,
// else from a reverse DNS lookup by Go's resolver.
func GetHostByAddr(addr string) (host string, aliases, addrs []string, err error) {
	ctx := context.Background()
	ip, perr := netip.ParseAddr(addr)
	if perr != nil {
		ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", addr)
		if err != nil || len(ips) == 0 {
			return "", nil, nil, &GAIError{Code: EAI_NONAME, Name: addr, Err: err}
		}
		ip = ips[0].Unmap()
	}
	names, err := hostNames(ctx, ip)
	if err != nil {
		return "", nil, nil, &HostError{Code: HOST_NOT_FOUND, Name: addr, Err: err}
	}
	return names[0], names[1:], []string{ip.String()}, nil
}

// hostNames returns the names of ip, the primary one first, as
// gethostbyaddr(3) finds them: the first hosts-file line with ip, else a
// reverse DNS lookup by Go's resolver. The error of no name wraps the
// resolver's, if any.
func hostNames(ctx context.Context, ip netip.Addr) ([]string, error) {
	if names, ok := hostsByAddr(ip); ok {
		return names, nil
	}
	names, err := net.DefaultResolver.LookupAddr(ctx, ip.String())
	if err == nil && len(names) == 0 {
		err = &net.DNSError{Err: "no name for address", Name: ip.String(), IsNotFound: true}
	}
	if err != nil {
		return nil, err
	}
	for i := range names {
		names[i] = strings.TrimSuffix(names[i], ".")
	}
	return names, nil
}

// HasIPv6 reports whether an AF_INET6 socket can be opened here.
func HasIPv6() bool {
	s, err := Open(AF_INET6, SOCK_DGRAM, 0)
	if err != nil {
		return false
	}
	s.Close()
	return true
}

// CloseFD closes a descriptor given by number, as Python's socket.close.
func CloseFD(fd int) error {
	if fd < 0 {
		return valueErr("close", "negative file descriptor")
	}
	return closeFD(fd)
}

// Interface is one entry of IfNameIndex.
type Interface struct {
	Index int
	Name  string
}

// IfNameIndex lists the network interfaces, as if_nameindex(3).
func IfNameIndex() ([]Interface, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, &OpError{Op: "if_nameindex", Err: err}
	}
	out := make([]Interface, len(ifs))
	for i, ifi := range ifs {
		out[i] = Interface{Index: ifi.Index, Name: ifi.Name}
	}
	return out, nil
}

// IfNameToIndex returns the index of the named interface. No interface of
// that name is an *OpError matching syscall.ENODEV, the errno
// if_nametoindex(3) sets (CPython's OSError leaves it out).
func IfNameToIndex(name string) (int, error) {
	ifi, err := findInterface("if_nametoindex", syscall.ENODEV, func(ifi net.Interface) bool { return ifi.Name == name })
	if err != nil {
		return 0, err
	}
	return ifi.Index, nil
}

// IfIndexToName returns the name of the interface with the index. Index 0,
// or one no interface has, is an *OpError matching syscall.ENXIO, as
// if_indextoname(3) and CPython report it; a negative index is a
// *ValueError.
func IfIndexToName(index int) (string, error) {
	if index < 0 {
		return "", valueErr("if_indextoname", "interface index must not be negative")
	}
	ifi, err := findInterface("if_indextoname", syscall.ENXIO, func(ifi net.Interface) bool { return ifi.Index == index })
	if err != nil {
		return "", err
	}
	return ifi.Name, nil
}

// findInterface returns the first interface that match accepts; none is
// an error matching the errno the C library sets for op.
func findInterface(op string, none syscall.Errno, match func(net.Interface) bool) (net.Interface, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return net.Interface{}, &OpError{Op: op, Err: err}
	}
	for _, ifi := range ifs {
		if match(ifi) {
			return ifi, nil
		}
	}
	return net.Interface{}, &OpError{Op: op, Err: os.NewSyscallError(op, none)}
}
