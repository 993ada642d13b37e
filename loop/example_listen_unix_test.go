//go:build unix

package loop_test

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/sockloop/sockloop/loop"
)

// ListenNet serves a listener made elsewhere: by package net, by a parent
// process that handed its listeners over for a restart, or by systemd
// (ListenSystemd). The engine serves a duplicate of the socket, so the
// listener's owner can close its own copy.
func ExampleEngine_ListenNet() {
	nl, _ := net.Listen("tcp", "127.0.0.1:0")
	e, _ := loop.New(echo{}, loop.WithLoops(1))
	if _, err := e.ListenNet(nl); err != nil {
		panic(err)
	}
	nl.Close() // the engine's duplicate goes on listening
	e.Start(context.Background())
	defer e.Stop(context.Background())

	c, _ := net.Dial("tcp", nl.Addr().String())
	defer c.Close()
	c.Write([]byte("still here"))
	buf := make([]byte, 10)
	io.ReadFull(c, buf)
	fmt.Println(string(buf))
	// Output: still here
}
