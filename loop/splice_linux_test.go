package loop

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// spliceRelay pairs each client with an upstream dialed on its loop and
// splices both directions; OnTraffic must never run.
type spliceRelay struct {
	BaseHandler
	upstream string
	traffic  atomic.Int32
	errs     chan error
}

func (h *spliceRelay) OnOpen(c *Conn) ([]byte, Action) {
	if c.Context() != nil {
		return nil, None // the upstream, spliced already
	}
	up, err := c.Loop().Dial("tcp", h.upstream, c)
	if err == nil {
		c.SetContext(up)
		if err = c.Splice(up); err == nil {
			err = up.Splice(c)
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

func TestSpliceRelaysWithoutUserSpace(t *testing.T) {
	up := netEcho(t)
	h := &spliceRelay{upstream: up.String(), errs: make(chan error, 16)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithWriteWatermarks(16<<10, 64<<10))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", addrs[0].String())
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			if err := echoRoundTrip(c, uint64(i), 2<<20); err != nil {
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
		t.Fatalf("OnTraffic ran %d times for spliced connections", n)
	}
}

func TestSpliceRejectsBadPairs(t *testing.T) {
	got := make(chan error, 3)
	h := &pairChecker{got: got}
	_, addrs := startEngine(t, h, []string{"udp://127.0.0.1:0", "tcp://127.0.0.1:0"})
	c := dial(t, addrs[1])
	c.Write([]byte("x"))
	for range 2 {
		if err := <-got; err == nil {
			t.Error("a bad Splice succeeded")
		}
	}
}

// pairChecker tries splicing a connection to itself and twice to one peer.
type pairChecker struct {
	BaseHandler
	got chan error
}

func (h *pairChecker) OnTraffic(c *Conn) Action {
	h.got <- c.Splice(c)
	up, err := c.Loop().Dial("tcp", c.LocalAddr().String(), nil)
	if err != nil {
		h.got <- err
		return None
	}
	c.Splice(up)
	h.got <- c.Splice(up) // c already sends to up
	up.Close()
	return None
}
