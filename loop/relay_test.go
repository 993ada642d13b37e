package loop

import (
	"crypto/tls"
	"errors"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// spliceRelay pairs each client with an upstream dialed on its loop and
// relays both directions with link (Splice or Relay); OnTraffic must never
// run.
type spliceRelay struct {
	BaseHandler
	upstream string
	link     func(c, dst *Conn) error
	traffic  atomic.Int32
	errs     chan error
}

func (h *spliceRelay) OnOpen(c *Conn) ([]byte, Action) {
	if c.Context() != nil {
		return nil, None // the upstream, linked already
	}
	up, err := c.Loop().Dial("tcp", h.upstream, c)
	if err == nil {
		c.SetContext(up)
		if err = h.link(c, up); err == nil {
			err = h.link(up, c)
		}
	}
	if err != nil {
		h.errs <- err
		return nil, Close
	}
	return nil, None
}

func (h *spliceRelay) OnTraffic(c *Conn) Action { h.traffic.Add(1); return None }

func (h *spliceRelay) OnReadEOF(c *Conn) Action {
	c.Context().(*Conn).CloseWrite()
	return None
}

func (h *spliceRelay) OnClose(c *Conn, err error) Action {
	if peer, ok := c.Context().(*Conn); ok {
		peer.Close()
	}
	return None
}

// TestRelayRoundTrips relays clients' uneven writes of a few MiB each to an
// echo and back through Relay (on every platform; elsewhere than Linux it
// copies) and through Splice (Linux), with OnTraffic never running.
func TestRelayRoundTrips(t *testing.T) {
	for _, tc := range []struct {
		name string
		link func(c, dst *Conn) error
	}{{"relay", (*Conn).Relay}, {"splice", (*Conn).Splice}} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "splice" && runtime.GOOS != "linux" {
				t.Skip("splice(2) is Linux's")
			}
			relayRoundTrips(t, tc.link)
		})
	}
}

func relayRoundTrips(t *testing.T, link func(c, dst *Conn) error) {
	up := netEcho(t)
	h := &spliceRelay{upstream: up.String(), link: link, errs: make(chan error, 16)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithWriteWatermarks(16<<10, 64<<10))
	relayEchoes(t, h, 4, func() (net.Conn, error) { return net.Dial("tcp", addrs[0].String()) })
}

// relayEchoes runs clients that each send 3 MiB in uneven writes through h's
// relays to an echo and check what comes back, then checks that no relay
// failed and none reached OnTraffic.
func relayEchoes(t *testing.T, h *spliceRelay, clients int, dial func() (net.Conn, error)) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := dial()
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			if err := echoRoundTrip(c, uint64(i), 3<<20); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	select {
	case err := <-h.errs:
		t.Fatal(err)
	default:
	}
	if n := h.traffic.Load(); n != 0 {
		t.Fatalf("OnTraffic ran %d times for relayed connections", n)
	}
}

// TestRelayTerminatesTLS relays TLS clients' plaintext to a plain echo and
// the echo's answers back through TLS: a relay with a TLS side copies, with
// backpressure as any other, and Splice refuses the pair.
func TestRelayTerminatesTLS(t *testing.T) {
	server, client := testTLS(t)
	up := netEcho(t)
	h := &spliceRelay{upstream: up.String(), link: (*Conn).Relay, errs: make(chan error, 16)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithTLS(server), WithWriteWatermarks(16<<10, 64<<10))
	relayEchoes(t, h, 3, func() (net.Conn, error) {
		return tls.Dial("tcp", addrs[0].String(), client)
	})

	spliced := &spliceRelay{upstream: up.String(), link: (*Conn).Splice, errs: make(chan error, 1)}
	_, addrs = startEngine(t, spliced, []string{"tcp://127.0.0.1:0"}, WithTLS(server))
	c := tlsDial(t, addrs[0], client)
	defer c.Close()
	if err := <-spliced.errs; !errors.Is(err, errTLSUnsupported) {
		t.Fatalf("Splice of a TLS connection: %v; want errTLSUnsupported", err)
	}
}
