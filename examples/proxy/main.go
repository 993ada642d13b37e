// Command proxy is a TCP proxy with sockloop's event loops embedded: it
// listens on -addr and, for each client, dials -upstream from the client's own
// loop, then moves bytes both ways. A half-close is passed on (the client's
// FIN becomes a shutdown of the upstream's sending side, and back), each
// direction has backpressure, and -proxy-protocol v1|v2 sends a PROXY
// protocol header naming the client ahead of its bytes. It prints nothing on
// success and serves until killed.
//
//	go run ./examples/echo -addr 127.0.0.1:9001 &
//	go run ./examples/proxy -addr 127.0.0.1:9000 -upstream 127.0.0.1:9001
//
// # Backpressure
//
// Bytes from side A are written to side B only while B's queued output is at
// or below the high-water mark; above it they stay in A's input (Peek, not
// Next) and the relay retries on a short loop timer until B drains. The loop
// itself stops reading a connection only when that connection's own output is
// above its mark, and offers no way to stop reading A because of B, so A's
// input can still grow while it waits: past -max-hold bytes the pair is
// closed rather than let one slow reader grow the proxy without bound.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/sockloop/sockloop/codec/proxyproto"
	"github.com/sockloop/sockloop/loop"
)

const (
	lowWater  = 16 << 10 // the loop's marks, and the relay's
	highWater = 64 << 10
	// retryEvery is how often a stalled direction looks whether its
	// destination drained.
	retryEvery = time.Millisecond
)

// errOverrun closes a pair whose held input passed -max-hold.
var errOverrun = errors.New("proxy: peer sent more than -max-hold while its destination was not draining")

// side is one connection of a proxied pair and what the relay knows of it.
type side struct {
	conn    *loop.Conn
	peer    *side
	client  bool        // the accepted side (else the upstream)
	eof     bool        // it sent FIN; passed on once its input is relayed
	wshut   bool        // its sending side was shut down (the peer's FIN)
	closed  bool        // OnClose ran
	stalled bool        // input held because the peer's output is full
	retry   *loop.Timer // wakes a stalled side
}

type proxy struct {
	loop.BaseHandler
	upstream string // numeric host:port
	header   int    // PROXY protocol version to send, 0 for none
	maxHold  int
}

// OnOpen pairs an accepted client with a new upstream connection dialed on
// the same loop; the upstream side arrives here too, already paired.
func (p *proxy) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	if s, ok := c.Context().(*side); ok {
		s.conn = c // the upstream, dialed below (maybe still connecting)
		return nil, loop.None
	}
	a := &side{conn: c, client: true}
	c.SetContext(a)
	b := &side{peer: a}
	a.peer = b
	bc, err := c.Loop().Dial("tcp", p.upstream, b)
	if err != nil {
		return nil, loop.Close
	}
	b.conn = bc
	if b.closed { // the dial failed at once; OnClose has run
		return nil, loop.Close
	}
	if p.header != 0 {
		// The header goes first: nothing else was written to bc yet.
		if hdr, err := p.appendHeader(nil, c); err == nil {
			bc.Write(hdr)
		}
	}
	return nil, loop.None
}

// appendHeader appends the PROXY protocol header for client c: its address
// as the source, the address it reached the proxy on as the destination.
func (p *proxy) appendHeader(dst []byte, c *loop.Conn) ([]byte, error) {
	h := proxyproto.Header{Command: proxyproto.Proxy}
	src, ok1 := addrPort(c.RemoteAddr())
	dst2, ok2 := addrPort(c.LocalAddr())
	switch {
	case !ok1 || !ok2:
		h.Transport = proxyproto.Unknown
	case src.Addr().Is4() && dst2.Addr().Is4():
		h.Transport = proxyproto.TCP4
	default:
		h.Transport = proxyproto.TCP6
		src = netip.AddrPortFrom(netip.AddrFrom16(src.Addr().As16()), src.Port())
		dst2 = netip.AddrPortFrom(netip.AddrFrom16(dst2.Addr().As16()), dst2.Port())
	}
	h.Source, h.Dest = src, dst2
	if p.header == 1 {
		return proxyproto.AppendV1(dst, &h)
	}
	return proxyproto.AppendV2(dst, &h)
}

func addrPort(a net.Addr) (netip.AddrPort, bool) {
	t, ok := a.(*net.TCPAddr)
	if !ok {
		return netip.AddrPort{}, false
	}
	ap := t.AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), ap.IsValid()
}

func (p *proxy) OnTraffic(c *loop.Conn) loop.Action {
	s, ok := c.Context().(*side)
	if !ok {
		return loop.Close
	}
	return p.relay(s)
}

// relay moves s's buffered input to its peer while the peer's output is
// below the high-water mark, and passes s's FIN on once its input is gone.
func (p *proxy) relay(s *side) loop.Action {
	c, peer := s.conn, s.peer
	if peer.closed || peer.conn == nil {
		c.Discard(-1) // nowhere to go; the close follows from OnClose
		return loop.None
	}
	s.stalled = false
	if c.InboundBuffered() > 0 {
		// After s's FIN nothing more arrives: its input no longer grows, so
		// hand all of it over. (Holding it would also lose it: once both
		// directions have ended, the loop closes on the hang-up.)
		if peer.conn.OutboundBuffered() > highWater && !s.eof {
			return p.stall(s)
		}
		// Next's bytes are the loop's own input: the peer queues them by
		// reference and copies only what the kernel does not take at once.
		b, _ := c.Next(-1)
		peer.conn.Write(b)
	}
	// The other direction may be waiting for this side to drain.
	if peer.stalled && c.OutboundBuffered() <= lowWater {
		peer.stalled = false
		peer.conn.Wake(nil)
	}
	passFIN(s)
	passFIN(peer) // it may have waited for s's input to be relayed
	if s.eof && s.wshut && c.InboundBuffered() == 0 {
		return loop.Close // both directions are done
	}
	return loop.None
}

// passFIN shuts down the sending side of s's peer once s has sent FIN and
// all its input is relayed. It waits while the peer itself still holds input
// after its own FIN: the loop closes a connection whose input ended as soon
// as its sending side is shut down, and would drop what it held.
func passFIN(s *side) {
	peer := s.peer
	if !s.eof || peer.wshut || s.closed || peer.closed || s.conn.InboundBuffered() > 0 {
		return
	}
	if peer.eof && peer.conn.InboundBuffered() > 0 {
		return
	}
	peer.wshut = true
	peer.conn.CloseWrite()
}

// stall leaves s's input where it is and arms a timer to try again.
func (p *proxy) stall(s *side) loop.Action {
	if s.conn.InboundBuffered() > p.maxHold {
		s.conn.CloseWithError(errOverrun)
		return loop.None
	}
	s.stalled = true
	if s.retry == nil {
		s.retry = s.conn.Loop().AfterFunc(retryEvery, func() { p.unstall(s) })
	} else {
		s.retry.Reset(retryEvery)
	}
	return loop.None
}

// unstall runs on the loop: it relays what s held once the peer has drained
// below the low mark, else waits another round.
func (p *proxy) unstall(s *side) {
	if !s.stalled || s.closed {
		return // relayed meanwhile
	}
	if !s.peer.closed && s.peer.conn.OutboundBuffered() > lowWater {
		s.retry.Reset(retryEvery)
		return
	}
	// Wake runs OnTraffic with the held input.
	s.conn.Wake(nil)
}

// OnReadEOF passes a half-close on once the input before it is relayed.
func (p *proxy) OnReadEOF(c *loop.Conn) loop.Action {
	s, ok := c.Context().(*side)
	if !ok {
		return loop.Close
	}
	s.eof = true
	return p.relay(s)
}

// OnClose closes the other side once its queued output is flushed.
func (p *proxy) OnClose(c *loop.Conn, err error) loop.Action {
	s, ok := c.Context().(*side)
	if !ok {
		return loop.None
	}
	s.closed = true
	if s.retry != nil {
		s.retry.Stop()
	}
	if peer := s.peer; peer.conn != nil && !peer.closed {
		// Through a task: OnClose may run from a readiness event (a failed
		// connect, a hang-up) after which the loop does not flush or close
		// the other connections a callback touched; a task's effects are.
		c.Loop().Submit(func() {
			if !peer.closed {
				peer.conn.CloseWithError(err)
			}
		})
	}
	return loop.None
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "address to listen on")
	upstream := flag.String("upstream", "", "HOST:PORT to forward connections to (resolved once at start-up)")
	header := flag.String("proxy-protocol", "", "send a PROXY protocol header to the upstream: v1 or v2")
	maxHold := flag.Int("max-hold", 32<<20, "bytes one side may hold while its destination is not draining, before the pair is closed")
	loops := flag.Int("loops", runtime.NumCPU(), "number of event loops")
	backend := flag.String("backend", "epoll", "poller backend: epoll (io_uring is not available yet)")
	flag.Parse()
	if *backend != "epoll" {
		fmt.Fprintf(os.Stderr, "proxy: backend %q is not available; use epoll\n", *backend)
		os.Exit(2)
	}
	p := &proxy{maxHold: max(*maxHold, highWater)}
	switch *header {
	case "":
	case "v1":
		p.header = 1
	case "v2":
		p.header = 2
	default:
		fmt.Fprintf(os.Stderr, "proxy: -proxy-protocol %q: want v1 or v2\n", *header)
		os.Exit(2)
	}
	if *upstream == "" {
		fmt.Fprintln(os.Stderr, "proxy: -upstream HOST:PORT is required")
		os.Exit(2)
	}
	// Loop.Dial takes numeric addresses only: resolve the name once here.
	ua, err := net.ResolveTCPAddr("tcp", *upstream)
	if err != nil {
		fmt.Fprintln(os.Stderr, "proxy: -upstream:", err)
		os.Exit(2)
	}
	p.upstream = ua.AddrPort().String()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = loop.Serve(ctx, p, "tcp://"+*addr, loop.WithLoops(*loops), loop.WithWriteWatermarks(lowWater, highWater))
	if err != nil {
		fmt.Fprintln(os.Stderr, "proxy:", err)
		os.Exit(1)
	}
}
