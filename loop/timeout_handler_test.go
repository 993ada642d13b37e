package loop

import (
	"errors"
	"io"
	"sync/atomic"
	"testing"
	"time"
)

// chatty writes to every connection every few milliseconds, so its output
// keeps making progress while the peer sends nothing.
type chatty struct {
	timeoutHandler
	stop atomic.Bool
}

func (h *chatty) OnOpen(c *Conn) ([]byte, Action) {
	var tick func()
	tick = func() {
		if h.stop.Load() {
			return
		}
		if _, err := c.Write([]byte("tick\n")); err != nil {
			return
		}
		c.Loop().AfterFunc(5*time.Millisecond, tick)
	}
	tick()
	return nil, None
}

// TestIdleTimeoutCountsThePeerOnly: a server that keeps writing to a peer
// that reads but never sends must still idle the connection out; before,
// its own writes kept the idle clock from running.
func TestIdleTimeoutCountsThePeerOnly(t *testing.T) {
	h := &chatty{timeoutHandler: timeoutHandler{closes: make(chan error, 1)}}
	defer h.stop.Store(true)
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithIdleTimeout(100*time.Millisecond))
	c := dial(t, addrs[0])
	go io.Copy(io.Discard, c) // the peer reads everything, and says nothing
	if err := waitClose(t, h.closes); !errors.Is(err, ErrIdleTimeout) {
		t.Fatalf("OnClose err = %v, want ErrIdleTimeout", err)
	}
}

// lastWord answers a read timeout with a last message and a close, once it
// has let the first expiry pass.
type lastWord struct {
	timeoutHandler
	expiries atomic.Int32
}

func (h *lastWord) OnTimeout(c *Conn, err error) Action {
	if h.expiries.Add(1) == 1 {
		return None // keep the connection: the clock starts again
	}
	c.Write([]byte("408 " + err.Error()))
	return Close
}

func TestTimeoutHandlerSendsALastMessage(t *testing.T) {
	h := &lastWord{timeoutHandler: timeoutHandler{closes: make(chan error, 1)}}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithReadTimeout(50*time.Millisecond))
	c := dial(t, addrs[0])
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "408 "+ErrReadTimeout.Error() {
		t.Fatalf("read %q, %v; want the last message, then a clean end", got, err)
	}
	if err := waitClose(t, h.closes); !errors.Is(err, ErrReadTimeout) {
		t.Fatalf("OnClose err = %v, want ErrReadTimeout", err)
	}
	if n := h.expiries.Load(); n != 2 {
		t.Fatalf("OnTimeout ran %d times, want 2 (None kept the connection once)", n)
	}
}
