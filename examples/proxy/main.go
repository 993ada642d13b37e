// Command proxy is a TCP proxy with sockloop's event loops embedded: it
// listens on -addr and, for each client, dials -upstream from the client's own
// loop, then moves bytes both ways. A half-close is passed on (the client's
// FIN becomes a shutdown of the upstream's sending side, and back), each
// direction has backpressure, and -proxy-protocol v1|v2 sends a PROXY
// protocol header naming the client ahead of its bytes; -tls CERT,KEY (or
// -tls self-signed) terminates TLS, relaying the clients' plaintext. An
// upstream that has not answered the connect within -connect-timeout (5s)
// has its client reset. It prints nothing on success and serves until
// killed.
//
//	go run ./examples/echo -addr 127.0.0.1:9001 &
//	go run ./examples/proxy -addr 127.0.0.1:9000 -upstream 127.0.0.1:9001
//
// # Data paths
//
// By default each side is relayed to the other by the loop (Conn.Relay): it
// copies small reads through its buffers and moves bulk through a kernel
// pipe with splice(2) (Linux), choosing as the traffic goes. -splice forces
// the pipe for every byte (Conn.Splice). -copy relays in the handler
// instead, as code with its own say over the bytes would: OnTraffic writes
// each read to the other side.
//
// # Backpressure
//
// With -copy, bytes from side A are written to side B at once (without a
// copy: they are the loop's own input). When B's queued output passes the
// high-water mark, the relay pauses reading A (Conn.PauseRead), so A's bytes
// wait in the kernel and its buffers push back on A's peer; when B drains to
// the low mark the loop calls OnDrain and the relay resumes A. Relay and
// Splice do the same inside the loop. Neither direction can make the proxy
// grow beyond one read past the mark (or, piped, one pipe).
package main

import (
	"context"
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
	"github.com/sockloop/sockloop/examples/internal/backendflag"
	"github.com/sockloop/sockloop/examples/internal/tlsflag"
	"github.com/sockloop/sockloop/loop"
	"github.com/sockloop/sockloop/poller"
)

const (
	lowWater  = 16 << 10 // the loop's marks, and the relay's
	highWater = 64 << 10
)

// side is one connection of a proxied pair and what the relay knows of it.
type side struct {
	conn   *loop.Conn
	peer   *side
	paused bool // reading stopped until the peer drains
	eof    bool // this side's input ended (its peer sent a FIN)
	closed bool // OnClose ran
}

type proxy struct {
	loop.BaseHandler
	upstream string // numeric host:port
	header   int    // PROXY protocol version to send, 0 for none
	path     string // "auto" (Conn.Relay), "splice" or "copy" (OnTraffic)
}

// OnOpen pairs an accepted client with a new upstream connection dialed on
// the same loop; the upstream side arrives here too, already paired.
func (p *proxy) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	if s, ok := c.Context().(*side); ok {
		s.conn = c // the upstream, dialed below (maybe still connecting)
		return nil, loop.None
	}
	// Both sides in one allocation: they live and die together.
	pair := new([2]side)
	a, b := &pair[0], &pair[1]
	a.conn, a.peer, b.peer = c, b, a
	c.SetContext(a)
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
	if p.path == "copy" {
		return nil, loop.None
	}
	// From here the loop moves the bytes itself, with its own
	// backpressure; OnTraffic no longer runs for this pair.
	relay := (*loop.Conn).Relay
	if p.path == "splice" {
		relay = (*loop.Conn).Splice
	}
	if err := relay(c, bc); err != nil {
		return nil, loop.Close
	}
	if err := relay(bc, c); err != nil {
		return nil, loop.Close
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

// OnTraffic relays the input to the peer (-copy) and pauses reading while
// the peer's output is above the high-water mark.
func (p *proxy) OnTraffic(c *loop.Conn) loop.Action {
	s, ok := c.Context().(*side)
	if !ok {
		return loop.Close
	}
	peer := s.peer
	b, _ := c.Next(-1)
	if peer.closed || peer.conn == nil {
		return loop.None // nowhere to go; the close follows from OnClose
	}
	peer.conn.Write(b)
	if peer.conn.OutboundBuffered() > highWater {
		s.paused = true
		c.PauseRead()
	}
	return loop.None
}

// OnDrain resumes the side that was paused because this one was full.
func (p *proxy) OnDrain(c *loop.Conn) loop.Action {
	if s, ok := c.Context().(*side); ok && s.peer.paused && !s.peer.closed {
		s.peer.paused = false
		s.peer.conn.ResumeRead()
	}
	return loop.None
}

// OnReadEOF passes a half-close on: every byte before the FIN was relayed
// by OnTraffic, so the peer's sending side can shut down after its queue.
// The loop closes each side once both of its directions have ended.
func (p *proxy) OnReadEOF(c *loop.Conn) loop.Action {
	s, ok := c.Context().(*side)
	if !ok {
		return loop.Close
	}
	s.eof = true
	peer := s.peer
	if peer.conn == nil || peer.closed {
		return loop.None
	}
	if peer.eof && peer.conn.OutboundBuffered() == 0 {
		// This FIN ends the pair, and the peer has all its input and no
		// output left: close(2) sends its FIN as shutdown(2) would, one
		// system call per connection sooner. (With output queued, Close
		// would give it only the close linger to drain; CloseWrite waits.)
		peer.conn.Close()
		return loop.None
	}
	peer.conn.CloseWrite()
	return loop.None
}

// OnClose ends the other side: in order, once its queued output is flushed,
// after an orderly close; with a reset after a failure (a reset, a refused
// or failed dial, dropped output), so that its peer never takes a stream
// that broke on the way for a whole one.
func (p *proxy) OnClose(c *loop.Conn, err error) loop.Action {
	s, ok := c.Context().(*side)
	if !ok {
		return loop.None
	}
	s.closed = true
	if peer := s.peer; peer.conn != nil && !peer.closed {
		if err != nil {
			peer.conn.Abort(err)
		} else {
			peer.conn.Close()
		}
	}
	return loop.None
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "address to listen on")
	upstream := flag.String("upstream", "", "HOST:PORT to forward connections to (resolved once at start-up)")
	header := flag.String("proxy-protocol", "", "send a PROXY protocol header to the upstream: v1 or v2")
	splice := flag.Bool("splice", false, "move every byte with splice(2) through a pipe, never through user space (Linux)")
	copyInHandler := flag.Bool("copy", false, "relay in the handler, copying every byte through user space")
	loops := flag.Int("loops", runtime.NumCPU(), "number of event loops")
	connectTimeout := flag.Duration("connect-timeout", 5*time.Second, "how long a connect to the upstream may take before the client is reset")
	chosenBackend := backendflag.Register("proxy")
	tlsConfig := tlsflag.Register("proxy")
	flag.Parse()
	backend := chosenBackend()
	opts := []loop.Option{
		loop.WithLoops(*loops), loop.WithBackend(backend), loop.WithWriteWatermarks(lowWater, highWater),
		loop.WithDialTimeout(*connectTimeout),
		// Nothing but the loops runs here, so a loop may keep its P through
		// the first millisecond of a wait rather than have the runtime
		// retake it and wake a thread (0.95x the CPU per connection).
		loop.WithRawWait(poller.MaxRawWait),
	}
	if secure := tlsConfig(); secure != nil {
		if *splice {
			fmt.Fprintln(os.Stderr, "proxy: -tls relays plaintext, which -splice would never see")
			os.Exit(2)
		}
		opts = append(opts, loop.WithTLS(secure))
	}
	p := &proxy{path: "auto"}
	switch {
	case *splice && *copyInHandler:
		fmt.Fprintln(os.Stderr, "proxy: -splice and -copy exclude each other")
		os.Exit(2)
	case *splice:
		p.path = "splice"
	case *copyInHandler:
		p.path = "copy"
	}
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
	// Resolved once here rather than by every connection's dial: one
	// lookup per proxy, not one per client.
	ua, err := net.ResolveTCPAddr("tcp", *upstream)
	if err != nil {
		fmt.Fprintln(os.Stderr, "proxy: -upstream:", err)
		os.Exit(2)
	}
	p.upstream = ua.AddrPort().String()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = loop.Serve(ctx, p, "tcp://"+*addr, opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "proxy:", err)
		os.Exit(1)
	}
}
