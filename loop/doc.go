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
package loop
