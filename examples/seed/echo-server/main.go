//go:build unix

// Command echo-server is the echo server of Python's socket documentation,
// written with the socket object: it listens on -addr (a host name is
// resolved with GetAddrInfo and every address is tried until one binds, as
// the documentation's dual-stack server does) and echoes what each client
// sends. It prints nothing on success and serves until killed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"

	"github.com/sockloop/sockloop/conn"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "listen on HOST:PORT")
	flag.Parse()
	l, err := listen(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo-server:", err)
		os.Exit(1)
	}
	defer l.Close()
	if err := serve(l); err != nil {
		fmt.Fprintln(os.Stderr, "echo-server:", err)
		os.Exit(1)
	}
}

// listen tries every address of host:port until one binds and listens.
func listen(address string) (*conn.Socket, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	infos, err := conn.GetAddrInfo(context.Background(), host, port, conn.AF_UNSPEC, conn.SOCK_STREAM, 0, conn.AI_PASSIVE)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, ai := range infos {
		s, err := conn.Open(ai.Family, ai.Type, ai.Proto)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := s.SetSockopt(conn.SO_REUSEADDR, 1); err != nil {
			errs = append(errs, err)
		}
		if err := s.Bind(ai.Addr); err != nil {
			errs = append(errs, err)
			s.Close()
			continue
		}
		if err := s.Listen(1); err != nil {
			errs = append(errs, err)
			s.Close()
			continue
		}
		return s, nil
	}
	return nil, errors.Join(errs...)
}

// serve accepts connections until the listener fails, echoing each one in
// its own goroutine.
func serve(l *conn.Socket) error {
	for {
		c, _, err := l.Accept()
		if err != nil {
			return err
		}
		go echo(c)
	}
}

// echo sends back everything it receives until the peer closes.
func echo(c *conn.Socket) {
	defer c.Close()
	for {
		data, err := c.Recv(1024)
		if err != nil || len(data) == 0 {
			return
		}
		if _, err := c.SendAll(data); err != nil {
			return
		}
	}
}
