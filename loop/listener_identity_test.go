package loop

import (
	"net"
	"testing"
)

// whichListener reports, for each connection that opens, the listener
// that accepted it (nil for a dialed one).
type whichListener struct {
	BaseHandler
	seen chan net.Addr
}

func (h *whichListener) OnOpen(c *Conn) ([]byte, Action) {
	h.seen <- c.Listener()
	return nil, None
}

func TestConnKnowsItsListener(t *testing.T) {
	h := &whichListener{seen: make(chan net.Addr, 4)}
	e, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0", "tcp://127.0.0.1:0"})
	for _, a := range addrs {
		dial(t, a)
		if got := <-h.seen; got == nil || got.String() != a.String() {
			t.Fatalf("a connection to %v says its listener is %v", a, got)
		}
	}
	if _, err := e.Dial("tcp", addrs[0].String(), nil); err != nil {
		t.Fatal(err)
	}
	// Both ends open on this engine: the accepted one names its listener,
	// the dialed one none.
	got := []net.Addr{<-h.seen, <-h.seen}
	if (got[0] == nil) == (got[1] == nil) {
		t.Fatalf("a dial to our own listener reported listeners %v, want one nil (the dialed end) and one not", got)
	}
}
