//go:build unix

package conn_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/sockloop/sockloop/conn"
)

// The echo server and client of Python's socket documentation, on a port
// the kernel picks.
func ExampleOpen() {
	s, err := conn.Open(conn.AF_INET, conn.SOCK_STREAM, 0)
	if err != nil {
		panic(err)
	}
	defer s.Close()
	s.Bind(conn.Inet4("127.0.0.1", 0))
	s.Listen(1)
	addr, _ := s.SockName()

	go func() {
		c, _ := conn.Open(conn.AF_INET, conn.SOCK_STREAM, 0)
		defer c.Close()
		c.Connect(addr)
		c.SendAll([]byte("Hello, world"))
		data, _ := c.Recv(1024)
		fmt.Printf("Received %q\n", data)
		c.Shutdown(conn.SHUT_WR)
		c.Recv(1) // wait for the server to finish
	}()

	c, _, err := s.Accept()
	if err != nil {
		panic(err)
	}
	defer c.Close()
	for {
		data, err := c.Recv(1024)
		if err != nil || len(data) == 0 {
			break
		}
		c.SendAll(data)
	}
	// Output: Received "Hello, world"
}

// RecvMsgInto scatters one message over the caller's buffers in place.
func ExampleSocket_RecvMsgInto() {
	s1, s2, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		panic(err)
	}
	defer s1.Close()
	defer s2.Close()
	b1, b2, b3 := []byte("----"), []byte("0123456789"), []byte("--------------")
	s1.Send([]byte("Mary had a little lamb"))
	n, _, _, _, _ := s2.RecvMsgInto([][]byte{b1, b2[2:9], b3}, nil)
	fmt.Printf("%d %q %q %q\n", n, b1, b2, b3)
	// Output: 22 "Mary" "01 had a 9" "little lamb---"
}

// The three modes: blocking (NoTimeout), non-blocking (0), timeout (d > 0).
func ExampleSocket_SetTimeout() {
	s1, s2, _ := conn.Socketpair(0, 0, 0)
	defer s1.Close()
	defer s2.Close()

	s1.SetBlocking(false)
	_, err := s1.Recv(10)
	fmt.Println(errors.Is(err, conn.ErrWouldBlock))

	s1.SetTimeout(10 * time.Millisecond)
	_, err = s1.Recv(10)
	fmt.Println(errors.Is(err, conn.ErrTimeout))
	// Output:
	// true
	// true
}

func ExampleGetAddrInfo() {
	infos, err := conn.GetAddrInfo(context.Background(), "127.0.0.1", "80", conn.AF_INET, conn.SOCK_STREAM, 0, 0)
	if err != nil {
		panic(err)
	}
	for _, ai := range infos {
		fmt.Println(ai.Family, ai.Type, ai.Proto, ai.Addr)
	}
	// Output: AF_INET SOCK_STREAM IPPROTO_TCP 127.0.0.1:80
}

func ExampleInetPton() {
	b, _ := conn.InetPton(conn.AF_INET6, "ad42:abc::127:0:254:2")
	fmt.Printf("%x\n", b)
	s, _ := conn.InetNtop(conn.AF_INET6, b)
	fmt.Println(s)
	a, _ := conn.InetAton("127.1")
	fmt.Println(a)
	// Output:
	// ad420abc000000000127000002540002
	// ad42:abc::127:0:254:2
	// [127 0 0 1]
}

func ExampleCreateConnection() {
	l, err := conn.CreateServer(context.Background(), "127.0.0.1:0", false)
	if err != nil {
		panic(err)
	}
	defer l.Close()
	c, err := conn.CreateConnection(context.Background(), l.LocalAddr().String(), 5*time.Second, nil)
	if err != nil {
		panic(err)
	}
	defer c.Close()
	fmt.Println(c.Family(), c.Type(), c.Timeout())
	// Output: AF_INET SOCK_STREAM 5s
}

// SendFDs and RecvFDs pass an open file to the peer, as Python's send_fds
// and recv_fds do: here the write end of a pipe, written through the copy
// the receiver gets.
func ExampleSocket_SendFDs() {
	s1, s2, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		panic(err)
	}
	defer s1.Close()
	defer s2.Close()
	r, w, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	defer r.Close()
	if _, err := s1.SendFDs([][]byte{[]byte("take this")}, []int{int(w.Fd())}, nil); err != nil {
		panic(err)
	}
	w.Close() // the receiver holds its own copy now
	data, fds, flags, _, err := s2.RecvFDs(64, 4)
	if err != nil {
		panic(err)
	}
	passed := os.NewFile(uintptr(fds[0]), "passed pipe")
	passed.WriteString("written by the receiver")
	passed.Close()
	got, _ := io.ReadAll(r)
	fmt.Printf("%q, %d fd, truncated %v: %q\n", data, len(fds), flags&conn.MSG_CTRUNC != 0, got)
	// Output: "take this", 1 fd, truncated false: "written by the receiver"
}
