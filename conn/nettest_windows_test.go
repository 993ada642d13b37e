package conn

import (
	"net"
	"testing"

	"golang.org/x/net/nettest"
)

// TestNetConnWindows runs x/net's net.Conn conformance suite (deadlines,
// concurrent Close, racy reads and writes) over the socket object.
func TestNetConnWindows(t *testing.T) {
	tests := []struct {
		name string
		pipe func(t *testing.T) (net.Conn, net.Conn, error)
	}{
		{name: "tcp", pipe: func(t *testing.T) (net.Conn, net.Conn, error) {
			a, b := tcpPair(t)
			return a, b, nil
		}},
		{name: "socketpair", pipe: func(t *testing.T) (net.Conn, net.Conn, error) {
			return Socketpair(0, 0, 0)
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
