//go:build unix

package conn_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/sockloop/sockloop/conn"
)

// GetNameInfo turns an address into host and service names; with the
// NUMERIC flags it looks nothing up.
func ExampleGetNameInfo() {
	addr := conn.Inet4Addr{IP: netip.MustParseAddr("127.0.0.1"), Port: 80}
	host, service, err := conn.GetNameInfo(context.Background(), addr, conn.NI_NUMERICHOST|conn.NI_NUMERICSERV)
	fmt.Println(host, service, err)
	host, service, err = conn.GetNameInfo(context.Background(), addr, conn.NI_NUMERICHOST)
	fmt.Println(host, service, err) // the service's name, from /etc/services
	// Output:
	// 127.0.0.1 80 <nil>
	// 127.0.0.1 http <nil>
}

// GetHostByName returns a host's first IPv4 address, from the hosts file
// or DNS.
func ExampleGetHostByName() {
	addr, err := conn.GetHostByName("localhost")
	fmt.Println(addr, err)
	// Output: 127.0.0.1 <nil>
}

// GetHostByNameEx returns a host's name, aliases and IPv4 addresses, as
// gethostbyname(3).
func ExampleGetHostByNameEx() {
	name, aliases, addrs, err := conn.GetHostByNameEx("localhost")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(name, aliases, addrs)
}

// GetHostByAddr returns the names of an address, as gethostbyaddr(3).
func ExampleGetHostByAddr() {
	name, aliases, addrs, err := conn.GetHostByAddr("127.0.0.1")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(name, aliases, addrs)
}

// GetHostName and GetFQDN name this host.
func ExampleGetHostName() {
	name, err := conn.GetHostName()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(name, conn.GetFQDN(name))
}

// GetFQDN returns a fully qualified name for a host, the local one for "".
func ExampleGetFQDN() {
	fmt.Println(conn.GetFQDN(""))
}

// HasIPv6 reports whether IPv6 sockets can be opened here, so a server
// can choose between a dual-stack and an IPv4 listener.
func ExampleHasIPv6() {
	address, dualStack := "127.0.0.1:8080", false
	if conn.HasIPv6() {
		address, dualStack = "[::1]:8080", true
	}
	fmt.Println(address, dualStack)
}

// GetServByName and GetServByPort read /etc/services, as their namesakes
// in Python do.
func ExampleGetServByName() {
	port, err := conn.GetServByName("https", "tcp")
	fmt.Println(port, err)
	// Output: 443 <nil>
}

// GetServByPort names the service on a port.
func ExampleGetServByPort() {
	name, err := conn.GetServByPort(22, "tcp")
	fmt.Println(name, err)
	// Output: ssh <nil>
}

// GetProtoByName reads a protocol number from /etc/protocols.
func ExampleGetProtoByName() {
	p, err := conn.GetProtoByName("udp")
	fmt.Println(int(p), p, err)
	// Output: 17 IPPROTO_UDP <nil>
}

// A service or protocol lookup that finds nothing is a *NetDBError, worded
// as Python's.
func ExampleNetDBError() {
	_, err := conn.GetServByName("no-such-service", "tcp")
	var ne *conn.NetDBError
	fmt.Println(errors.As(err, &ne), ne.Reason)
	// Output: true service/proto not found
}

// An address lookup that fails is a *GAIError with its EAI code, Python's
// socket.gaierror; here a name where AI_NUMERICHOST allows only numbers.
func ExampleGAIError() {
	_, err := conn.GetAddrInfo(context.Background(), "localhost", "80", conn.AF_INET, conn.SOCK_STREAM, 0, conn.AI_NUMERICHOST)
	var ge *conn.GAIError
	fmt.Println(errors.As(err, &ge), ge.Code)
	// Output: true EAI_NONAME
}

// An address of the wrong form is an *AddrError, which matches EINVAL.
func ExampleAddrError() {
	s, err := conn.Open(conn.AF_INET, conn.SOCK_STREAM, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	err = s.Bind(conn.Inet4("127.0.0.1", 70000))
	var ae *conn.AddrError
	fmt.Println(errors.As(err, &ae))
	err = s.Bind(conn.Inet6("::1", 0)) // an IPv6 address on an IPv4 socket
	fmt.Println(errors.As(err, &ae))
	// Output:
	// true
	// true
}

// IfNameIndex lists the network interfaces with their indexes.
func ExampleIfNameIndex() {
	ifs, err := conn.IfNameIndex()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, i := range ifs {
		fmt.Println(i.Index, i.Name)
	}
}
