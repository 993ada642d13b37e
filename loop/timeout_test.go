package loop

import (
	"errors"
	"testing"
	"time"
)

// timeoutHandler sets per-connection timeouts in OnOpen, optionally queues a
// reply the peer will never read, and reports how connections closed.
type timeoutHandler struct {
	BaseHandler
	setup  func(c *Conn)
	reply  []byte
	closes chan error
}

func (h *timeoutHandler) OnOpen(c *Conn) ([]byte, Action) {
	if h.setup != nil {
		h.setup(c)
	}
	return h.reply, None
}

func (h *timeoutHandler) OnClose(c *Conn, err error) Action {
	h.closes <- err
	return None
}

func TestTrafficKeepsReadTimeoutAway(t *testing.T) {
	h := newEchoHandler()
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithReadTimeout(time.Second))
	c := dial(t, addrs[0])
	// Traffic every 50ms for about two seconds: two read timeouts long.
	for i := range 40 {
		if err := echoRoundTrip(c, uint64(i), 10); err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	select {
	case err := <-h.closes:
		t.Fatalf("connection closed during steady traffic: %v", err)
	default:
	}
}

func TestOptionValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  Option
	}{
		{name: "zero loops", opt: WithLoops(0)},
		{name: "low above high", opt: WithWriteWatermarks(10, 5)},
		{name: "negative low", opt: WithWriteWatermarks(-1, 5)},
		{name: "negative timeout", opt: WithReadTimeout(-time.Second)},
		{name: "tiny read buffer", opt: WithReadBufferSize(1)},
		{name: "zero workers", opt: WithWorkerPool(0)},
		{name: "nil logger", opt: WithLogger(nil)},
		{name: "unknown balancing", opt: WithLoadBalancing(LoadBalancing(42))},
		{name: "unknown backend", opt: WithBackend("select")},
		{name: "unknown io_uring feature", opt: WithURingOff(1 << 7)},
		{name: "negative raw wait", opt: WithRawWait(-time.Millisecond)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(BaseHandler{}, tc.opt)
			var oe *OptionError
			if !errors.As(err, &oe) {
				t.Fatalf("New = %v, want an *OptionError", err)
			}
		})
	}
}

func TestBadAddresses(t *testing.T) {
	e, err := New(BaseHandler{}, WithLoops(1), WithBackend(testBackend), WithURingOff(testURingOff))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Stop(t.Context())
	for _, addr := range []string{"127.0.0.1:80", "sctp://127.0.0.1:0", "tcp://no-port", "unix://", "tcp://127.0.0.1:99999"} {
		_, err := e.Listen(addr)
		var ae *AddrError
		if !errors.As(err, &ae) {
			t.Errorf("Listen(%q) = %v, want an *AddrError", addr, err)
		}
	}
}
