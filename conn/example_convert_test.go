package conn_test

import (
	"fmt"
	"math"

	"github.com/sockloop/sockloop/conn"
)

// Htons and Ntohs convert 16-bit values between host and network byte
// order, as Python's socket.htons and ntohs (shown on a little-endian
// machine, where they swap the bytes); Htonl and Ntohl do 32 bits.
func ExampleHtons() {
	fmt.Printf("%#04x %#04x\n", conn.Htons(0x1234), conn.Ntohs(conn.Htons(0x1234)))
	// Output: 0x3412 0x1234
}

// Htonl converts a 32-bit value to network byte order.
func ExampleHtonl() {
	fmt.Printf("%#08x\n", conn.Htonl(0x7f000001))
	// Output: 0x0100007f
}

// Ntohl converts a 32-bit value from network byte order.
func ExampleNtohl() {
	fmt.Printf("%#08x\n", conn.Ntohl(0x0100007f))
	// Output: 0x7f000001
}

// Ntohs converts a 16-bit value from network byte order: a port read from
// a packet header, say.
func ExampleNtohs() {
	fmt.Println(conn.Ntohs(0x5000))
	// Output: 80
}

// InetNtoa turns 4 packed bytes into dotted IPv4 text, as Python's
// socket.inet_ntoa.
func ExampleInetNtoa() {
	s, _ := conn.InetNtoa([]byte{192, 0, 2, 1})
	fmt.Println(s)
	_, err := conn.InetNtoa([]byte{1, 2, 3})
	fmt.Println(err != nil)
	// Output:
	// 192.0.2.1
	// true
}

// TimeoutSeconds converts a timeout given in seconds, as Python takes it,
// refusing what Python refuses.
func ExampleTimeoutSeconds() {
	d, _ := conn.TimeoutSeconds(2.5)
	fmt.Println(d)
	_, err := conn.TimeoutSeconds(math.NaN())
	fmt.Println(err != nil)
	// Output:
	// 2.5s
	// true
}

// Inet4 and Inet6 make (host, port) addresses as Python's tuples: a host
// given by name is resolved when the address is used, or by Resolve.
func ExampleInet4() {
	for _, a := range []conn.HostAddr{conn.Inet4("", 80), conn.Inet4("192.0.2.1", 80), conn.Inet6("::1", 443)} {
		r, err := a.Resolve()
		fmt.Println(a.Family(), r, err)
	}
	// Output:
	// AF_INET 0.0.0.0:80 <nil>
	// AF_INET 192.0.2.1:80 <nil>
	// AF_INET6 [::1]:443 <nil>
}

// Inet6 makes an IPv6 (host, port) address; a scope may follow the host.
func ExampleInet6() {
	r, err := conn.Inet6("fe80::1%1", 9000).Resolve()
	fmt.Println(r.(conn.Inet6Addr).ScopeID, err)
	// Output: 1 <nil>
}
