// Package netconn runs goroutine-style network code on sockloop's event
// loops: a connection a loop drives becomes a net.Conn, and the
// connections an engine accepts come out of a net.Listener, so that
// net/http's Server, crypto/tls and WebSocket libraries serve on the loops
// unchanged.
//
// Choose by what the code is. The handler API (loop.Handler) is the hot
// path: callbacks see input in the loop's own buffers, without a copy, a
// goroutine or a lock per connection. The adapter is for code that already
// exists in the goroutine style, or that blocks by nature: each Conn copies
// its input out of the loop into a bounded buffer of its own and its output
// into pool memory, and each blocked Read or Write parks a goroutine, as
// package net does. The two mix in one engine: a Handler serves the
// connections it is given as net.Conns and passes the rest to a
// loop.Handler, which may hand any of its own over (Handler.Conn).
//
// The loop still makes every system call: a Write hands its bytes to the
// loop and waits only while the connection's earlier output is not yet
// sent; a Read waits for input the loop copied. Memory per connection is
// bounded whatever the reader's or the peer's speed: a full input buffer
// stops the loop reading from that socket until the reader catches up.
package netconn
