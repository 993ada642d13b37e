package conn_test

import (
	"fmt"
	"os"
	"time"

	"github.com/sockloop/sockloop/conn"
)

// Socketpair on Windows is a loopback TCP connection, made and checked as
// CPython makes it.
func ExampleSocketpair() {
	a, b, err := conn.Socketpair(0, 0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer a.Close()
	defer b.Close()
	a.SendAll([]byte("hello"))
	got, _ := b.Recv(5)
	fmt.Println(a.Family(), a.Type(), string(got))
	// Output: AF_INET SOCK_STREAM hello
}

// Share and FromShare hand a socket to another process (here, this one):
// the bytes go to the process by any means, and it makes its own socket.
func ExampleSocket_Share() {
	a, b, err := conn.Socketpair(0, 0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	data, err := a.Share(os.Getpid())
	if err != nil {
		fmt.Println(err)
		return
	}
	a.Close() // the shared copy lives on
	c, err := conn.FromShare(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	c.SendAll([]byte("from the copy"))
	got, _ := b.Recv(64)
	fmt.Println(string(got))
	// Output: from the copy
}

// Ioctl with SIO_KEEPALIVE_VALS turns keep-alive on with its timing, as
// Python's sock.ioctl(SIO_KEEPALIVE_VALS, (1, 10000, 3000)).
func ExampleSocket_Ioctl() {
	s, err := conn.Open(conn.AF_INET, conn.SOCK_STREAM, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	err = s.Ioctl(conn.SIO_KEEPALIVE_VALS, conn.KeepAliveVals{On: true, Time: 10 * time.Second, Interval: 3 * time.Second})
	fmt.Println(err)
	on, _ := s.GetSockopt(conn.SO_KEEPALIVE)
	fmt.Println(on != 0)
	// Output:
	// <nil>
	// true
}
