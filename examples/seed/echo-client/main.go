//go:build unix

// Command echo-client is the echo client of Python's socket documentation,
// written with the socket object: it connects to -addr (a host name is
// resolved with GetAddrInfo and every address is tried in turn, as the
// documentation's dual-stack client does), sends "Hello, world", and prints
// "Received" and the reply as Python prints bytes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"github.com/sockloop/sockloop/conn"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "connect to HOST:PORT")
	flag.Parse()
	if err := run(*addr, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "echo-client:", err)
		os.Exit(1)
	}
}

func run(address string, out io.Writer) error {
	s, err := dial(address)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.SendAll([]byte("Hello, world")); err != nil {
		return err
	}
	data, err := s.Recv(1024)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(out, "Received", pyBytes(data))
	return err
}

// dial tries every address of host:port until one connects.
func dial(address string) (*conn.Socket, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	infos, err := conn.GetAddrInfo(context.Background(), host, port, conn.AF_UNSPEC, conn.SOCK_STREAM, 0, 0)
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
		if err := s.Connect(ai.Addr); err != nil {
			errs = append(errs, err)
			s.Close()
			continue
		}
		return s, nil
	}
	return nil, errors.Join(errs...)
}

// pyBytes formats b as Python's repr of a bytes object: b'...'.
func pyBytes(b []byte) string {
	quote := byte('\'')
	if strings.IndexByte(string(b), '\'') >= 0 && strings.IndexByte(string(b), '"') < 0 {
		quote = '"'
	}
	var sb strings.Builder
	sb.WriteString("b")
	sb.WriteByte(quote)
	for _, c := range b {
		switch {
		case c == '\\' || c == quote:
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c == '\t':
			sb.WriteString(`\t`)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\r':
			sb.WriteString(`\r`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&sb, `\x%02x`, c)
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte(quote)
	return sb.String()
}
