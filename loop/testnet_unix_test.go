//go:build unix

package loop

import "net"

// dialConn dials addr with package net.
func dialConn(addr net.Addr) (net.Conn, error) { return net.Dial(addr.Network(), addr.String()) }

// haveUnixSockets reports whether AF_UNIX stream sockets work here.
func haveUnixSockets() bool { return true }
