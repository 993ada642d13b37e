package netconn_test

import (
	"context"
	"net"
	"testing"

	"golang.org/x/net/nettest"
)

// TestNetConn runs x/net's conformance suite on a Conn: against a client of
// package net, and with both ends served by loops (one accepted, one
// dialed through the Handler).
func TestNetConn(t *testing.T) {
	tests := []struct {
		name string
		pipe func(t *testing.T, s *server) (c1, c2 net.Conn, err error)
	}{
		{name: "accepted-vs-net", pipe: func(t *testing.T, s *server) (net.Conn, net.Conn, error) {
			client, err := net.Dial("tcp", s.ln.Addr().String())
			if err != nil {
				return nil, nil, err
			}
			c, err := s.ln.Accept()
			if err != nil {
				client.Close()
				return nil, nil, err
			}
			return c, client, nil
		}},
		{name: "dialed-vs-accepted", pipe: func(t *testing.T, s *server) (net.Conn, net.Conn, error) {
			dialed, err := s.h.DialContext(context.Background(), "tcp", s.ln.Addr().String())
			if err != nil {
				return nil, nil, err
			}
			c, err := s.ln.Accept()
			if err != nil {
				dialed.Close()
				return nil, nil, err
			}
			return dialed, c, nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, nil)
			nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
				c1, c2, err = tt.pipe(t, s)
				if err != nil {
					return nil, nil, nil, err
				}
				return c1, c2, func() { c1.Close(); c2.Close() }, nil
			})
		})
	}
}
