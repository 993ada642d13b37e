//go:build unix

package netconn_test

import (
	"net"
	"path/filepath"
	"testing"

	"golang.org/x/net/nettest"

	"github.com/sockloop/sockloop/loop/netconn"
)

// TestNetConnUnix runs x/net's conformance suite on a Conn accepted on a
// Unix socket.
func TestNetConnUnix(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s")
	s := startEngine(t, "unix://"+path, true, netconn.NewHandler(nil))
	nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
		client, err := net.Dial("unix", path)
		if err != nil {
			return nil, nil, nil, err
		}
		c, err := s.ln.Accept()
		if err != nil {
			client.Close()
			return nil, nil, nil, err
		}
		return c, client, func() { c.Close(); client.Close() }, nil
	})
}
