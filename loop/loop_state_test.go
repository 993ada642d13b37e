package loop

import (
	"bufio"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// perLoop gives every loop a value in OnBoot and counts, per loop, the
// ticks that saw that loop's own value.
type perLoop struct {
	BaseHandler
	ticks []atomic.Int32
	wrong atomic.Int32
}

func (h *perLoop) OnBoot(e *Engine) Action {
	h.ticks = make([]atomic.Int32, len(e.Loops()))
	for _, l := range e.Loops() {
		l.SetValue(fmt.Sprint("loop ", l.Index()))
	}
	return None
}

func (h *perLoop) OnLoopTick(l *Loop) (time.Duration, Action) {
	if l.Value() != fmt.Sprint("loop ", l.Index()) {
		h.wrong.Add(1)
	}
	h.ticks[l.Index()].Add(1)
	return time.Millisecond, None
}

func TestEveryLoopTicksWithItsOwnValue(t *testing.T) {
	h := &perLoop{}
	startEngine(t, h, nil, WithLoops(3))
	waitFor(t, func() bool {
		for i := range h.ticks {
			if h.ticks[i].Load() < 3 {
				return false
			}
		}
		return true
	})
	if n := h.wrong.Load(); n != 0 {
		t.Fatalf("%d ticks saw another loop's value", n)
	}
}

// broadcaster sends every line it receives to every connection of its loop.
type broadcaster struct {
	BaseHandler
	opened sync.WaitGroup
}

func (h *broadcaster) OnOpen(c *Conn) ([]byte, Action) { h.opened.Done(); return nil, None }

func (h *broadcaster) OnTraffic(c *Conn) Action {
	msg, _ := c.Next(-1)
	for peer := range c.Loop().Conns() {
		peer.Write(msg)
	}
	return None
}

func TestLoopConnsVisitsOpenConnections(t *testing.T) {
	h := &broadcaster{}
	h.opened.Add(3)
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithLoops(1))
	var clients []net.Conn
	for range 3 {
		clients = append(clients, dial(t, addrs[0]))
	}
	h.opened.Wait()
	if _, err := clients[0].Write([]byte("to all\n")); err != nil {
		t.Fatal(err)
	}
	for i, c := range clients {
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil || line != "to all\n" {
			t.Fatalf("client %d read %q, %v; want the broadcast", i, line, err)
		}
	}
}

func TestLoopConnsStopsWhenAsked(t *testing.T) {
	h := &timeoutHandler{closes: make(chan error, 4)}
	e, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithLoops(1))
	for range 3 {
		dial(t, addrs[0])
	}
	l := e.Loops()[0]
	waitFor(t, func() bool { return l.CountConnections() == 3 })
	seen := make(chan int, 1)
	l.Submit(func() {
		n := 0
		for range l.Conns() {
			n++
			if n == 2 {
				break
			}
		}
		seen <- n
	})
	if n := <-seen; n != 2 {
		t.Fatalf("the visit went on to %d connections after its break at 2", n)
	}
}
