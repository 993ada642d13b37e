//go:build linux

package bench

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/poller"
)

// patternPeriod is the period of the byte stream each connection sends. It is
// prime, so message boundaries fall on a different phase of the pattern each
// time, and a lost or repeated message shows up as a mismatch.
const patternPeriod = 251

// dialBatch is how many connects are in flight at once while dialing, well
// under any listen backlog.
const dialBatch = 128

// stallTimeout is how long Run waits without any progress before it gives up.
const stallTimeout = 10 * time.Second

// Client is an echo load generator: many non-blocking TCP connections served
// by one goroutine through an epoll poller. Each connection sends depth
// messages of size bytes in one write and the next batch once all of them
// are back (depth 1 is ping-pong). Every byte that comes back is checked
// against what was sent: connection i sends the stream
// pattern[(offset+salt_i) % 251], so a lost, repeated, reordered or foreign
// byte fails the run. Buffers are allocated by Dial; Run allocates nothing.
//
// Each batch's round trip, from its write to the last byte of it read back,
// is recorded in [Client.Latency] once for every message in the batch: with
// depth 1 that is each request's latency, with a pipeline it is what each
// request of the batch waited for its own and the others' replies, as
// redis-benchmark -P and wrk with a pipeline script count it.
//
// A Client is used by one goroutine at a time.
type Client struct {
	size   int
	depth  int
	poll   poller.Poller
	conns  []clientConn
	byFd   []int32 // fd -> index in conns, -1 if none
	ready  []poller.Ready
	rbuf   []byte // shared receive buffer: each read is checked at once
	pat    []byte // the pattern, long enough for the largest write or check
	budget int    // messages Run may still queue
	done   int    // messages Run has received in full
	want   int    // messages Run waits for
	epoch  time.Time
	lat    Latency
}

type clientConn struct {
	fd      int
	salt    int64 // phase of this connection's pattern
	sent    int64 // stream bytes written
	want    int64 // stream bytes queued: whole messages
	recv    int64 // stream bytes received and checked
	writing bool  // write interest armed after a short write
	batch   int   // messages in the batch in flight
	sentAt  int64 // when it was written, in ns since Client.epoch
}

// Dial opens conns connections to addr for messages of size bytes sent in
// batches of depth, and sets TCP_NODELAY on them.
func Dial(addr netip.AddrPort, conns, size, depth int) (*Client, error) {
	if conns < 1 || size < 1 || depth < 1 {
		return nil, fmt.Errorf("bench: need conns, size and depth >= 1 (got %d, %d, %d)", conns, size, depth)
	}
	p, err := poller.New(poller.Options{})
	if err != nil {
		return nil, err
	}
	window := size * depth
	c := &Client{
		size:  size,
		depth: depth,
		poll:  p,
		conns: make([]clientConn, 0, conns),
		ready: make([]poller.Ready, 1024),
		rbuf:  make([]byte, max(64<<10, window)),
		epoch: time.Now(),
	}
	c.pat = make([]byte, patternPeriod+max(len(c.rbuf), window))
	for i := range c.pat {
		j := i % patternPeriod
		c.pat[i] = byte(j*j*7 + j*3 + 11)
	}
	for start := 0; start < conns; start += dialBatch {
		if err := c.dialBatch(addr, min(dialBatch, conns-start)); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// dialBatch connects n more sockets at once and waits for all of them.
func (c *Client) dialBatch(addr netip.AddrPort, n int) error {
	family, sa := unix.AF_INET, unix.Sockaddr(nil)
	ip := addr.Addr().Unmap()
	if ip.Is4() {
		sa = &unix.SockaddrInet4{Port: int(addr.Port()), Addr: ip.As4()}
	} else {
		family = unix.AF_INET6
		sa = &unix.SockaddrInet6{Port: int(addr.Port()), Addr: ip.As16()}
	}
	pending := 0
	for range n {
		fd, err := unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return os.NewSyscallError("socket", err)
		}
		c.track(fd)
		if err := unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1); err != nil {
			return os.NewSyscallError("setsockopt", err)
		}
		// Close with a reset: a benchmark run opens tens of thousands of
		// connections, and TIME_WAIT would exhaust the ephemeral ports.
		if err := unix.SetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0}); err != nil {
			return os.NewSyscallError("setsockopt", err)
		}
		switch err := unix.Connect(fd, sa); err {
		case nil:
		case unix.EINPROGRESS, unix.EINTR:
			if err := c.poll.Add(fd, poller.Writable); err != nil {
				return err
			}
			pending++
			continue
		default:
			return os.NewSyscallError("connect", err)
		}
		if err := c.poll.Add(fd, poller.Readable); err != nil {
			return err
		}
	}
	deadline := time.Now().Add(stallTimeout)
	for pending > 0 {
		k, err := waitReady(c.poll, c.ready, time.Second)
		if err != nil {
			return err
		}
		if k == 0 && time.Now().After(deadline) {
			return fmt.Errorf("bench: %d connects to %v still pending after %v", pending, addr, stallTimeout)
		}
		for _, r := range c.ready[:k] {
			if err := connectError(r.Fd); err != nil {
				return err
			}
			if err := c.poll.Modify(r.Fd, poller.Readable); err != nil {
				return err
			}
			pending--
		}
	}
	return nil
}

// track records a new connection under its descriptor.
func (c *Client) track(fd int) {
	for fd >= len(c.byFd) {
		c.byFd = append(c.byFd, -1)
	}
	c.byFd[fd] = int32(len(c.conns))
	c.conns = append(c.conns, clientConn{fd: fd, salt: int64(len(c.conns) * 37 % patternPeriod)})
}

// Latency returns the round trips recorded by every Run since the last
// Reset of the histogram.
func (c *Client) Latency() *Latency { return &c.lat }

// Conns returns the number of connections.
func (c *Client) Conns() int { return len(c.conns) }

// Run sends n messages spread over the connections in batches of depth and
// returns once all n have come back intact. It allocates nothing. After an
// error the Client is only good for Close.
func (c *Client) Run(n int) error {
	c.budget, c.done, c.want = n, 0, n
	for i := range c.conns {
		if err := c.refill(&c.conns[i]); err != nil {
			return err
		}
	}
	return c.serve(c)
}

// connEvents is what a load generator does with its connections' events.
type connEvents interface {
	finished() bool
	writable(i int32) error // connection i can take more output
	readable(i int32) error // connection i has input, an end or an error
	stalled() error         // the error for a run without events for stallTimeout
}

// serve hands the connections' events to ev until ev is finished, and fails
// after stallTimeout without any.
func (c *Client) serve(ev connEvents) error {
	idle := time.Duration(0)
	for !ev.finished() {
		k, err := waitReady(c.poll, c.ready, time.Second)
		if err != nil {
			return err
		}
		if k == 0 {
			if idle += time.Second; idle >= stallTimeout {
				return ev.stalled()
			}
			continue
		}
		idle = 0
		for _, r := range c.ready[:k] {
			i := c.byFd[r.Fd]
			if r.Events&poller.Writable != 0 {
				if err := ev.writable(i); err != nil {
					return err
				}
			}
			if r.Events&(poller.Readable|poller.Hangup|poller.Error) != 0 {
				if err := ev.readable(i); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// The echo Run's connEvents.

func (c *Client) finished() bool         { return c.done >= c.want }
func (c *Client) writable(i int32) error { return c.flush(&c.conns[i]) }
func (c *Client) readable(i int32) error { return c.receive(&c.conns[i]) }
func (c *Client) stalled() error {
	return fmt.Errorf("bench: no echo for %v with %d of %d messages back", stallTimeout, c.done, c.want)
}

// armWrite turns write interest on fd on or off, once per change: writing
// records whether it is on.
func (c *Client) armWrite(fd int, writing *bool, on bool) error {
	if *writing == on {
		return nil
	}
	*writing = on
	if on {
		return c.poll.Modify(fd, poller.Readable|poller.Writable)
	}
	return c.poll.Modify(fd, poller.Readable)
}

// refill sends the next batch once every message of the last one is back:
// depth messages (fewer when the budget runs out) in one write, as a
// pipelining client (redis-benchmark -P, wrk with a pipeline script) does.
func (c *Client) refill(cc *clientConn) error {
	if cc.want > cc.recv {
		return nil
	}
	add := min(c.depth, c.budget)
	if add <= 0 {
		return nil
	}
	c.budget -= add
	cc.want += int64(add) * int64(c.size)
	cc.batch = add
	cc.sentAt = int64(time.Since(c.epoch))
	return c.flush(cc)
}

// flush writes what is queued, arming write interest if the kernel takes
// less than all of it.
func (c *Client) flush(cc *clientConn) error {
	for cc.sent < cc.want {
		off := int((cc.sent + cc.salt) % patternPeriod)
		chunk := min(cc.want-cc.sent, int64(len(c.pat)-patternPeriod))
		n, err := writeNow(cc.fd, c.pat[off:off+int(chunk)])
		if err != nil {
			return err
		}
		cc.sent += int64(n)
		if int64(n) < chunk {
			return c.armWrite(cc.fd, &cc.writing, true)
		}
	}
	return c.armWrite(cc.fd, &cc.writing, false)
}

// errMismatch reports echoed bytes that differ from what was sent.
var errMismatch = errors.New("bench: echoed bytes differ from those sent")

// receive reads once, checks the bytes against the pattern, counts whole
// messages and refills the pipeline.
func (c *Client) receive(cc *clientConn) error {
	n, err := readNow(cc.fd, c.rbuf)
	if n < 0 || err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("bench: server closed a connection with %d bytes outstanding", cc.sent-cc.recv)
	}
	if cc.recv+int64(n) > cc.sent {
		return fmt.Errorf("bench: %d bytes echoed, only %d sent", cc.recv+int64(n), cc.sent)
	}
	off := int((cc.recv + cc.salt) % patternPeriod)
	if !bytes.Equal(c.rbuf[:n], c.pat[off:off+n]) {
		return fmt.Errorf("%w (fd %d, stream offset %d..%d)", errMismatch, cc.fd, cc.recv, cc.recv+int64(n))
	}
	size := int64(c.size)
	before := cc.recv / size
	cc.recv += int64(n)
	c.done += int(cc.recv/size - before)
	if cc.recv == cc.want {
		c.lat.Record(time.Since(c.epoch)-time.Duration(cc.sentAt), cc.batch)
		cc.batch = 0
	}
	return c.refill(cc)
}

// Close closes every connection (with a reset) and the poller.
func (c *Client) Close() error {
	for _, cc := range c.conns {
		c.poll.Delete(cc.fd)
		unix.Close(cc.fd)
	}
	c.conns = c.conns[:0]
	clear(c.byFd)
	return c.poll.Close()
}
