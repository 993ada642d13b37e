package loop

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/netip"
	"sync"
	"testing"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/sockloop/sockloop/internal/leaktest"
)

// The resolvers of these tests never reach a name server: names come from
// the hosts file, from a table answered over a pipe, or not at all.

var errNoNameServer = errors.New("this test reaches no name server")

// noDNS resolves what the hosts file holds and fails every other name at
// once.
var noDNS = &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
	return nil, errNoNameServer
}}

// stallResolver holds every lookup that reaches a name server until its
// context ends: started closes when the first one arrives, and ended
// receives each one's context error as it gives up.
type stallResolver struct {
	once    sync.Once
	started chan struct{}
	ended   chan error
}

func newStallResolver() *stallResolver {
	return &stallResolver{started: make(chan struct{}), ended: make(chan error, 16)}
}

func (s *stallResolver) resolver() *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		s.once.Do(func() { close(s.started) })
		<-ctx.Done()
		s.ended <- ctx.Err()
		return nil, ctx.Err()
	}}
}

// localhost answers localhost from the hosts file, or where that lacks it
// (Wine's), from a table.
var localhost = tableResolver(map[string][]netip.Addr{"localhost.": {netip.MustParseAddr("127.0.0.1")}})

// tableResolver answers A and AAAA queries from hosts (fully qualified
// names, with the final dot) as a name server reached over a stream would.
func tableResolver(hosts map[string][]netip.Addr) *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		client, server := net.Pipe()
		go answerQueries(server, hosts)
		return client, nil
	}}
}

// answerQueries serves length-prefixed DNS queries on c until the resolver
// closes its end.
func answerQueries(c net.Conn, hosts map[string][]netip.Addr) {
	defer c.Close()
	for {
		var size [2]byte
		if _, err := io.ReadFull(c, size[:]); err != nil {
			return
		}
		query := make([]byte, binary.BigEndian.Uint16(size[:]))
		if _, err := io.ReadFull(c, query); err != nil {
			return
		}
		reply, err := answer(query, hosts)
		if err != nil {
			return
		}
		if _, err := c.Write(reply); err != nil {
			return
		}
	}
}

// answer builds the length-prefixed reply to one query.
func answer(query []byte, hosts map[string][]netip.Addr) ([]byte, error) {
	var p dnsmessage.Parser
	h, err := p.Start(query)
	if err != nil {
		return nil, err
	}
	q, err := p.Question()
	if err != nil {
		return nil, err
	}
	b := dnsmessage.NewBuilder(make([]byte, 2, 512), dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true})
	b.StartQuestions()
	b.Question(q)
	b.StartAnswers()
	rh := dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 60}
	for _, a := range hosts[q.Name.String()] {
		switch {
		case a.Is4() && q.Type == dnsmessage.TypeA:
			b.AResource(rh, dnsmessage.AResource{A: a.As4()})
		case a.Is6() && q.Type == dnsmessage.TypeAAAA:
			b.AAAAResource(rh, dnsmessage.AAAAResource{AAAA: a.As16()})
		}
	}
	msg, err := b.Finish()
	if err != nil {
		return nil, err
	}
	binary.BigEndian.PutUint16(msg, uint16(len(msg)-2))
	return msg, nil
}

// echoOn runs a package net echo server on network and address and
// returns its port.
func echoOn(t *testing.T, network, address string) string {
	t.Helper()
	_, port, _ := net.SplitHostPort(netEchoOn(t, network, address).String())
	return port
}

// echoCollector records how dials end, greets on open with hello, and
// sends what comes back to echoes once want bytes have arrived.
type echoCollector struct {
	dialReporter
	hello  string
	want   int
	echoes chan string
}

func newEchoCollector(hello string, want int) *echoCollector {
	return &echoCollector{dialReporter: *newDialReporter(), hello: hello, want: want, echoes: make(chan string, 1)}
}

func (h *echoCollector) OnOpen(c *Conn) ([]byte, Action) {
	h.dialReporter.OnOpen(c)
	return []byte(h.hello), None
}

func (h *echoCollector) OnTraffic(c *Conn) Action {
	if c.InboundBuffered() < h.want {
		return None
	}
	b, _ := c.Next(-1)
	h.echoes <- string(b)
	return Close
}

// dialOnLoop runs DialContext on l's goroutine, writes early there right
// after (before the name can have resolved), and returns the connection.
func dialOnLoop(t *testing.T, l *Loop, ctx context.Context, network, address, early string) *Conn {
	t.Helper()
	type result struct {
		c   *Conn
		err error
	}
	res := make(chan result, 1)
	l.Submit(func() {
		c, err := l.DialContext(ctx, network, address, nil)
		if err == nil && early != "" {
			_, err = c.Write([]byte(early))
		}
		res <- result{c, err}
	})
	r := <-res
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.c
}

func TestLoopDialNameConnectsAndEchoes(t *testing.T) {
	port := echoOn(t, "tcp4", "127.0.0.1:0")
	h := newEchoCollector("hello ", len("hello early"))
	e, _ := startEngine(t, h, nil, WithLoops(1), WithResolver(localhost))
	c := dialOnLoop(t, e.Loops()[0], t.Context(), "tcp", net.JoinHostPort("localhost", port), "early")
	if err := dialEnd(t, &h.dialReporter, h.opened); err != nil {
		t.Fatal(err)
	}
	// OnOpen's greeting goes ahead of what was written while resolving.
	if got := <-h.echoes; got != "hello early" {
		t.Fatalf("echo = %q, want %q", got, "hello early")
	}
	if !c.Dialed() {
		t.Error("Dialed() = false for a connection made by Loop.DialContext")
	}
	if err := dialEnd(t, &h.dialReporter, h.closes); err != nil {
		t.Fatalf("OnClose err = %v, want nil", err)
	}
}

func TestLoopDialNameFromOnOpenRelays(t *testing.T) {
	_, port, _ := net.SplitHostPort(netEcho(t).String())
	h := &relayHandler{upstream: net.JoinHostPort("localhost", port), dialErrs: make(chan error, 1)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithResolver(localhost))
	for i := range 5 {
		c := dial(t, addrs[0])
		// The client's first bytes may reach the relay while the upstream
		// is still resolving: they wait in its queue.
		if err := echoRoundTrip(c, uint64(i), 64<<10); err != nil {
			t.Fatalf("through the relay: %v", err)
		}
	}
}

func TestLoopDialNameSwitchesFamily(t *testing.T) {
	port := echoOn(t, "tcp6", "[::1]:0")
	r := tableResolver(map[string][]netip.Addr{"v6only.sockloop.test.": {netip.IPv6Loopback()}})
	h := newEchoCollector("over IPv6", len("over IPv6"))
	e, _ := startEngine(t, h, nil, WithLoops(1), WithResolver(r))
	// Plain tcp: the dial holds an IPv4 socket while resolving, and must
	// trade it for an IPv6 one.
	c := dialOnLoop(t, e.Loops()[0], t.Context(), "tcp", net.JoinHostPort("v6only.sockloop.test", port), "")
	if err := dialEnd(t, &h.dialReporter, h.opened); err != nil {
		t.Fatal(err)
	}
	if got := <-h.echoes; got != "over IPv6" {
		t.Fatalf("echo = %q, want %q", got, "over IPv6")
	}
	remote := make(chan string, 1)
	c.Loop().Submit(func() { remote <- c.RemoteAddr().String() })
	if got, want := <-remote, net.JoinHostPort("::1", port); got != want {
		t.Errorf("RemoteAddr = %s, want %s", got, want)
	}
	dialEnd(t, &h.dialReporter, h.closes)
}

func TestLoopDialUnresolvableNameReachesOnDialError(t *testing.T) {
	h := newDialReporter()
	e, _ := startEngine(t, h, nil, WithLoops(1), WithResolver(noDNS))
	dialOnLoop(t, e.Loops()[0], t.Context(), "tcp", "nosuch.sockloop.invalid:80", "queued")
	err := dialEnd(t, h, h.dialErrs)
	var op *net.OpError
	var ae *AddrError
	var dns *net.DNSError
	if !errors.As(err, &op) || op.Op != "dial" || !errors.As(err, &ae) || !errors.As(err, &dns) {
		t.Fatalf("OnDialError err = %v (%T); want a dial *net.OpError wrapping an *AddrError wrapping a *net.DNSError", err, err)
	}
	if n := e.CountConnections(); n != 0 {
		t.Errorf("CountConnections = %d after the failed dial, want 0", n)
	}
}

func TestLoopDialNameCancelledWhileResolving(t *testing.T) {
	s := newStallResolver()
	h := newDialReporter()
	e, _ := startEngine(t, h, nil, WithLoops(1), WithResolver(s.resolver()))
	ctx, cancel := context.WithCancel(t.Context())
	dialOnLoop(t, e.Loops()[0], ctx, "tcp", "stalled.sockloop.test:80", "")
	<-s.started
	if n := e.CountConnections(); n != 1 {
		t.Errorf("CountConnections = %d while resolving, want 1", n)
	}
	cancel()
	err := dialEnd(t, h, h.dialErrs)
	var op *net.OpError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &op) || op.Op != "dial" {
		t.Fatalf("OnDialError err = %v, want a dial *net.OpError wrapping context.Canceled", err)
	}
	if err := <-s.ended; !errors.Is(err, context.Canceled) {
		t.Fatalf("the lookup ended with %v, want context.Canceled", err)
	}
}

// TestLoopDialNameClosedWhileResolving: a Close while the name is looked
// up, with nothing written, cancels the lookup and ends the dial with the
// close's reason; an Abort does so whatever was written, reporting the
// bytes it dropped. (A Close with output waits for the dial to send it:
// TestCloseBeforeConnectSendsWrites.)
func TestLoopDialNameClosedWhileResolving(t *testing.T) {
	for _, tc := range []struct {
		name, written string
		end           func(c *Conn, err error)
	}{
		{"close", "", func(c *Conn, err error) { c.CloseWithError(err) }},
		{"abort", "never sent", func(c *Conn, err error) { c.Abort(err) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStallResolver()
			h := newDialReporter()
			e, _ := startEngine(t, h, nil, WithLoops(1), WithResolver(s.resolver()))
			l := e.Loops()[0]
			c := dialOnLoop(t, l, t.Context(), "tcp", "stalled.sockloop.test:80", tc.written)
			<-s.started
			errMine := errors.New("changed my mind")
			l.Submit(func() { tc.end(c, errMine) })
			err := dialEnd(t, h, h.dialErrs)
			var dropped *OutputDroppedError
			if !errors.Is(err, errMine) || (errors.As(err, &dropped) != (tc.written != "")) || dropped != nil && dropped.Bytes != len(tc.written) {
				t.Fatalf("OnDialError err = %v, want the close's reason with the %d queued bytes dropped", err, len(tc.written))
			}
			if err := <-s.ended; !errors.Is(err, context.Canceled) {
				t.Fatalf("the lookup ended with %v, want context.Canceled", err)
			}
			closed := make(chan error, 1)
			l.Submit(func() { closed <- c.Close() })
			if err := <-closed; !errors.Is(err, net.ErrClosed) {
				t.Fatalf("Close after the close = %v, want net.ErrClosed", err)
			}
		})
	}
}

// TestLoopDialNameStopWhileResolving stops the engine while a lookup is
// stalled: the dial ends with ErrEngineStopped, and the lookup's goroutine
// and the dial's socket are gone once Stop returns.
func TestLoopDialNameStopWhileResolving(t *testing.T) {
	base := leaktest.Take()
	s := newStallResolver()
	h := newDialReporter()
	e, _ := launchEngine(t, h, nil, WithLoops(1), WithResolver(s.resolver()))
	dialOnLoop(t, e.Loops()[0], t.Context(), "tcp", "stalled.sockloop.test:80", "")
	<-s.started
	if err := e.Stop(t.Context()); err != nil {
		t.Fatalf("Stop = %v, want nil", err)
	}
	if err := dialEnd(t, h, h.dialErrs); !errors.Is(err, ErrEngineStopped) {
		t.Fatalf("OnDialError err = %v, want ErrEngineStopped", err)
	}
	if err := <-s.ended; !errors.Is(err, context.Canceled) {
		t.Fatalf("the lookup ended with %v, want context.Canceled", err)
	}
	if err := base.Check(); err != nil {
		t.Fatal(err)
	}
}
