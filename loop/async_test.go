package loop

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// upperHandler hands each request to the worker pool, which answers with
// AsyncWrite once the (pretend) blocking work is done.
type upperHandler struct {
	BaseHandler
	e      *Engine
	writes chan error
}

func (h *upperHandler) OnBoot(e *Engine) Action { h.e = e; return None }

func (h *upperHandler) OnTraffic(c *Conn) Action {
	req, _ := c.Next(-1)
	req = bytes.Clone(req) // the worker outlives this callback
	err := h.e.Go(func() {
		c.AsyncWrite(bytes.ToUpper(req), func(c *Conn, err error) { h.writes <- err })
	})
	if err != nil {
		h.writes <- err
	}
	return None
}

func TestWorkerPoolAnswersWithAsyncWrite(t *testing.T) {
	h := &upperHandler{writes: make(chan error, 16)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithWorkerPool(4))
	c := dial(t, addrs[0])
	c.Write([]byte("shout"))
	buf := make([]byte, 5)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "SHOUT" {
		t.Fatalf("read %q, %v; want SHOUT", buf, err)
	}
	if err := <-h.writes; err != nil {
		t.Fatalf("AsyncWrite completion: %v", err)
	}
}

func TestGoWithoutPool(t *testing.T) {
	e, _ := startEngine(t, BaseHandler{}, nil)
	var oe *OptionError
	if err := e.Go(func() {}); !errors.As(err, &oe) {
		t.Fatalf("Go without WithWorkerPool = %v, want *OptionError", err)
	}
}

// wakeHandler answers a Wake with the text it was given.
type wakeHandler struct {
	BaseHandler
	conns chan *Conn
	msg   chan []byte
}

func (h *wakeHandler) OnOpen(c *Conn) ([]byte, Action) { h.conns <- c; return nil, None }

func (h *wakeHandler) OnTraffic(c *Conn) Action {
	select {
	case m := <-h.msg:
		c.Write(m)
	default:
	}
	return None
}

func TestWakeAndAsyncCloseFromAnotherGoroutine(t *testing.T) {
	h := &wakeHandler{conns: make(chan *Conn, 1), msg: make(chan []byte, 1)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
	client := dial(t, addrs[0])
	c := <-h.conns
	h.msg <- []byte("woken")
	woke := make(chan error, 1)
	if err := c.Wake(func(_ *Conn, err error) { woke <- err }); err != nil {
		t.Fatal(err)
	}
	if err := <-woke; err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := io.ReadFull(client, buf); err != nil || string(buf) != "woken" {
		t.Fatalf("read %q, %v", buf, err)
	}
	if err := c.AsyncClose(nil); err != nil {
		t.Fatal(err)
	}
	if n, err := client.Read(buf); err != io.EOF {
		t.Fatalf("after AsyncClose the client read %d, %v; want EOF", n, err)
	}
	done := make(chan error, 1)
	c.AsyncWrite([]byte("late"), func(_ *Conn, err error) { done <- err })
	if err := <-done; err == nil {
		t.Fatal("AsyncWrite on a closed connection reported success")
	}
}
