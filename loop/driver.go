package loop

import "github.com/sockloop/sockloop/poller"

// A driver moves one connection's bytes between its socket and its buffers
// in one I/O model:
//
//   - readyDriver (conn_ready.go): the poller says when the socket is
//     ready, and the loop reads and writes with system calls (epoll,
//     kqueue, io_uring as a readiness poller, IOCP's emulated readiness).
//   - ringDriver (conn_ring.go): the kernel carries out receive and send
//     operations and reports them done (io_uring operations, IOCP).
//
// Everything else about a connection is written once, above the drivers:
// its state (conn_state.go), its input and output buffers, the handler's
// callbacks, backpressure (which sets the read side's stops; the driver
// only applies them), timeouts and closing. A connection gets its driver
// when it opens (Loop.assignDriver) and keeps it.
//
// The drivers are stateless values; what one keeps per connection lives in
// the Conn (interest and parked for readiness, ring for completion).
type driver interface {
	// start begins reading a connection that has just opened.
	start(c *Conn) error
	// sync brings what the kernel does for c in line with what c wants
	// now: input while c.wantsInput(), output while some is queued.
	sync(c *Conn)
	// send writes queued output, or starts an operation that will; it
	// reports whether c is still open.
	send(c *Conn) bool
	// ready serves a readiness report for c's socket.
	ready(c *Conn, ev poller.Event)
	// reading reports whether c waits for input, which runs its read
	// timeout.
	reading(c *Conn) bool
	// release lets go of the socket of a connection that is closing and
	// reports whether operations in flight still use it: the driver then
	// closes the descriptor and drops the output once they end, else the
	// caller does at once.
	release(c *Conn) (kept bool)
}

// assignDriver gives a stream connection its driver: the completion driver
// where the loop has one, except for a Unix connection passing descriptors,
// which needs recvmsg and sendmsg with control data. A connection that
// connects by readiness (readyDriver, the default) gets it once connected.
func (l *Loop) assignDriver(c *Conn) {
	if _, ok := c.drv.(ringDriver); ok {
		return // a connect operation gave it already
	}
	if l.ops == nil || !c.stream || (l.eng.cfg.ancillary && c.network() == "unix") {
		c.drv = readyDriver{}
		return
	}
	c.drv = ringDriver{}
	l.newGen(c)
}
