// Package loop runs network handlers on per-core event loops.
//
// An Engine owns N loops, each a goroutine with its own poller, timers and
// task queue. Every connection belongs to one loop for its whole life, and
// every callback for it runs on that loop's goroutine, so handlers need no
// locks for per-connection state.
//
// Inbound bytes are read into loop-owned pooled memory and offered to
// OnTraffic without a copy (Peek, Next, Discard); whatever the handler leaves
// unconsumed is kept in pool memory for the next call. Outbound bytes queue
// as references and leave with one gather write (writev / sendmsg) per
// connection at the end of each callback; what the kernel does not take stays
// queued, and write interest is armed until it drains.
//
// Methods of Conn are for the goroutine of the connection's loop (inside
// callbacks, timers and tasks run on that loop), except those whose names
// begin with Async, Wake, and the accessors documented as safe.
//
// # TLS
//
// WithTLS, WithListenerTLS, DialTLS and Conn.StartTLS put crypto/tls
// between the socket and the handler, which sees plaintext: OnOpen runs
// once the handshake has finished, input is decrypted before OnTraffic
// and output encrypted as it is written. Handshakes run on a goroutine of
// their own each (never on a loop), records on the loop; tls_session.go
// says why.
//
// # Completion backends
//
// Where the loop's poller has a Completer (io_uring on Linux 6.0 and later,
// the I/O completion port on Windows), stream connections are served by
// operations instead of readiness: a multishot accept per listener, a
// multishot receive per connection whose buffers OnTraffic sees in place,
// and one gathered send per connection in flight, its memory kept until
// the completion. Closing cancels every operation and keeps the socket open
// until the last completion has arrived.
//
// # Windows
//
// Each loop owns a completion port; its sockets are overlapped WSASocket
// handles (a socket made by package net belongs to the Go runtime's port,
// so AdoptConn fails there with an error matching errors.ErrUnsupported).
// Listeners accept with AcceptEx, dials connect with ConnectEx, receives
// wait with a zero-byte WSARecv and then read into the loop's buffers (no
// buffer is pinned while a connection is idle), sends are overlapped
// WSASend calls of the gathered queue, and datagrams go through WSARecvFrom
// and WSASendTo. Windows has no SO_REUSEPORT, so one acceptor hands
// connections to the loops by the balancing policy; descriptor passing,
// Splice (Relay copies there), UDP batches and offload, and the received-on address of
// WithAncillary are Linux or Unix features and are not offered there.
package loop
