//go:build unix

// Command recvmsg-into is the recvmsg_into example of Python's socket
// documentation, on a socketpair: one side sends "Mary had a little lamb",
// the other scatters it with one recvmsg into three buffers, the second a
// window [2:9] of a larger one. It prints the byte count, then each buffer
// in Go's %q form.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/sockloop/sockloop/conn"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "recvmsg-into:", err)
		os.Exit(1)
	}
}

func run(out io.Writer) error {
	s1, s2, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	defer s1.Close()
	defer s2.Close()
	b1 := []byte("----")
	b2 := []byte("0123456789")
	b3 := []byte("--------------")
	if _, err := s1.Send([]byte("Mary had a little lamb")); err != nil {
		return err
	}
	n, _, _, _, err := s2.RecvMsgInto([][]byte{b1, b2[2:9], b3}, nil)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "%d\n%q\n%q\n%q\n", n, b1, b2, b3)
	return err
}
