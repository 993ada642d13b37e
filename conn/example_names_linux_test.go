package conn_test

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"github.com/sockloop/sockloop/conn"
)

// IfNameToIndex and IfIndexToName convert between an interface's name and
// its index; the loopback interface is "lo" on Linux.
func ExampleIfNameToIndex() {
	i, err := conn.IfNameToIndex("lo")
	if err != nil {
		fmt.Println(err)
		return
	}
	name, err := conn.IfIndexToName(i)
	fmt.Println(name, err)
	_, err = conn.IfNameToIndex("no-such-if0")
	fmt.Println(errors.Is(err, syscall.ENODEV))
	// Output:
	// lo <nil>
	// true
}

// IfIndexToName fails for an index no interface has, with ENXIO.
func ExampleIfIndexToName() {
	_, err := conn.IfIndexToName(0)
	fmt.Println(errors.Is(err, syscall.ENXIO))
	// Output: true
}

// A UnixAddr with Abstract set names a socket in Linux's abstract
// namespace: no file, gone when the last socket closes.
func ExampleUnixAddr() {
	s, err := conn.Open(conn.AF_UNIX, conn.SOCK_DGRAM, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	name := fmt.Sprintf("sockloop-example-%d", os.Getpid())
	if err := s.Bind(conn.UnixAddr{Path: name, Abstract: true}); err != nil {
		fmt.Println(err)
		return
	}
	addr, _ := s.SockName()
	u := addr.(conn.UnixAddr)
	fmt.Println(u.Abstract, u.Path == name)
	// Output: true true
}
