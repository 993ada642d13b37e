//go:build unix

package conn

import (
	"net"
	"path/filepath"
	"testing"

	"golang.org/x/net/nettest"
)

func TestNetConn(t *testing.T) {
	tests := []struct {
		name string
		pipe func(t *testing.T) (net.Conn, net.Conn, error)
	}{
		{name: "tcp", pipe: func(t *testing.T) (net.Conn, net.Conn, error) {
			a, b := tcpPair(t)
			return a, b, nil
		}},
		{name: "unix", pipe: func(t *testing.T) (net.Conn, net.Conn, error) {
			l := mustOpen(t, AF_UNIX, SOCK_STREAM, 0)
			defer l.Close()
			path := filepath.Join(t.TempDir(), "s")
			if err := l.Bind(UnixAddr{Path: path}); err != nil {
				return nil, nil, err
			}
			if err := l.Listen(); err != nil {
				return nil, nil, err
			}
			c1 := mustOpen(t, AF_UNIX, SOCK_STREAM, 0)
			if err := c1.Connect(UnixAddr{Path: path}); err != nil {
				return nil, nil, err
			}
			c2, _, err := l.Accept()
			return c1, c2, err
		}},
		{name: "socketpair", pipe: func(t *testing.T) (net.Conn, net.Conn, error) {
			a, b, err := Socketpair(0, 0, 0)
			return a, b, err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
				c1, c2, err = tt.pipe(t)
				if err != nil {
					return nil, nil, nil, err
				}
				return c1, c2, func() { c1.Close(); c2.Close() }, nil
			})
		})
	}
}
