package loop

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// bigReplyHandler answers the first bytes of each connection with a large
// reply, then half-closes or closes as asked.
type bigReplyHandler struct {
	BaseHandler
	reply  []byte
	then   Action // Close, or None with halfClose
	half   bool
	closes chan error
}

func (h *bigReplyHandler) OnTraffic(c *Conn) Action {
	c.Discard(-1)
	c.Write(h.reply)
	if h.half {
		c.CloseWrite()
	}
	return h.then
}

func (h *bigReplyHandler) OnClose(c *Conn, err error) Action {
	h.closes <- err
	return None
}

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

func TestCloseAndHalfCloseFlushPendingData(t *testing.T) {
	for _, tc := range []struct {
		name string
		then Action
		half bool
	}{
		{name: "action Close", then: Close},
		{name: "CloseWrite", then: None, half: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &bigReplyHandler{reply: pattern(8 << 20), then: tc.then, half: tc.half, closes: make(chan error, 1)}
			_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
			c := dial(t, addrs[0])
			c.Write([]byte("go"))
			got, err := io.ReadAll(c) // to EOF: every byte, then the FIN
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, h.reply) {
				t.Fatalf("received %d bytes, want the %d-byte reply intact", len(got), len(h.reply))
			}
			if tc.half {
				// Half-closed: the server still reads until we finish too.
				c.Close()
			}
			if err := waitClose(t, h.closes); err != nil {
				t.Fatalf("OnClose err = %v, want nil after an orderly close", err)
			}
		})
	}
}

// eofHandler keeps a connection open after the peer's FIN and answers it.
type eofHandler struct {
	echoHandler
}

func (h *eofHandler) OnReadEOF(c *Conn) Action {
	c.Write([]byte("bye"))
	c.CloseWrite()
	return None
}

func TestPeerHalfClose(t *testing.T) {
	t.Run("plain handler closes after flushing the echo", func(t *testing.T) {
		h := newEchoHandler()
		_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
		c := dial(t, addrs[0]).(*net.TCPConn)
		msg := pattern(1 << 20)
		go func() { c.Write(msg); c.CloseWrite() }()
		got, err := io.ReadAll(c)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("got %d bytes, %v; want the %d bytes echoed, then EOF", len(got), err, len(msg))
		}
		if err := waitClose(t, h.closes); err != nil {
			t.Fatalf("OnClose err = %v, want nil", err)
		}
	})
	t.Run("ReadEOFHandler answers after the FIN", func(t *testing.T) {
		h := &eofHandler{echoHandler: *newEchoHandler()}
		_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
		c := dial(t, addrs[0]).(*net.TCPConn)
		c.Write([]byte("hello"))
		c.CloseWrite()
		got, err := io.ReadAll(c)
		if err != nil || string(got) != "hellobye" {
			t.Fatalf("got %q, %v; want \"hellobye\" then EOF", got, err)
		}
		if err := waitClose(t, h.closes); err != nil {
			t.Fatalf("OnClose err = %v, want nil", err)
		}
	})
}

func TestPeerResetMidWrite(t *testing.T) {
	h := &bigReplyHandler{reply: pattern(32 << 20), then: None, closes: make(chan error, 1)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
	c := dial(t, addrs[0]).(*net.TCPConn)
	c.Write([]byte("go"))
	buf := make([]byte, 64<<10)
	if _, err := io.ReadFull(c, buf); err != nil {
		t.Fatal(err)
	}
	c.SetLinger(0) // close with RST while the server still has megabytes queued
	c.Close()
	err := waitClose(t, h.closes)
	if !errors.Is(err, errConnReset) && !errors.Is(err, errBrokenPipe) {
		t.Fatalf("OnClose err = %v, want ECONNRESET or EPIPE", err)
	}
}

// watermarkHandler echoes and records the most output ever queued.
type watermarkHandler struct {
	BaseHandler
	maxOut chan int
	most   int
}

func (h *watermarkHandler) OnTraffic(c *Conn) Action {
	b, _ := c.Next(-1)
	c.Write(b)
	if n := c.OutboundBuffered(); n > h.most {
		h.most = n
	}
	return None
}

func (h *watermarkHandler) OnClose(c *Conn, err error) Action {
	h.maxOut <- h.most
	return None
}

func TestBackpressureBoundsOutputOfPeerThatNeverReads(t *testing.T) {
	const low, high, readBuf = 4 << 10, 16 << 10, 8 << 10
	h := &watermarkHandler{maxOut: make(chan int, 1)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"},
		WithLoops(1), WithWriteWatermarks(low, high), WithReadBufferSize(readBuf))
	c := dial(t, addrs[0])
	sent := writeUntilStalled(t, c)
	c.Close()
	most := <-h.maxOut
	if most <= high {
		t.Fatalf("queued output peaked at %d bytes after %d sent; backpressure never engaged (high %d)", most, sent, high)
	}
	if most > high+readBuf {
		t.Fatalf("queued output peaked at %d bytes, want at most high (%d) plus one read (%d)", most, high, readBuf)
	}
}

// fmtHandler answers each request with two Fprintf calls, which reuse one
// formatting buffer: Write must not keep a reference to it.
type fmtHandler struct{ BaseHandler }

func (fmtHandler) OnTraffic(c *Conn) Action {
	in, _ := c.Next(-1)
	scratch := []byte("first ")
	c.Write(scratch)
	copy(scratch, "XXXXXX") // reused at once, as io.Writer allows
	fmt.Fprintf(c, "%d ", len(in))
	fmt.Fprintf(c, "%s\n", "done")
	return None
}

func TestWriteDoesNotRetainCallerBuffers(t *testing.T) {
	_, addrs := startEngine(t, fmtHandler{}, []string{"tcp://127.0.0.1:0"})
	c := dial(t, addrs[0])
	c.Write([]byte("12345"))
	want := "first 5 done\n"
	buf := make([]byte, len(want))
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != want {
		t.Fatalf("read %q, %v; want %q", buf, err, want)
	}
}

// closeUnread returns Close from OnTraffic without consuming the input and
// counts how often it is called.
type closeUnread struct {
	BaseHandler
	calls atomic.Int32
}

func (h *closeUnread) OnTraffic(c *Conn) Action {
	h.calls.Add(1)
	return Close
}

// TestNoTrafficAfterHandlerClose: a handler that returned Close with input
// still buffered is not called again with the same bytes.
func TestNoTrafficAfterHandlerClose(t *testing.T) {
	h := &closeUnread{}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithLoops(1))
	c := dial(t, addrs[0])
	if _, err := c.Write([]byte("unread")); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.ReadAll(c); err != nil {
		t.Fatal(err)
	}
	if n := h.calls.Load(); n != 1 {
		t.Fatalf("OnTraffic ran %d times; want once, none after it returned Close", n)
	}
}

// abortiveCloseResets says whether a close with SO_LINGER 0 reaches the peer
// as a reset here: under Wine the peer read a clean end (2026-12-06; real
// Windows not checked), so there the tests check only what the loop reports.
var abortiveCloseResets = runtime.GOOS != "windows"

// abortWithOutput queues output it never lets drain, then aborts, and
// reports what OnClose received.
type abortWithOutput struct {
	BaseHandler
	closed chan error
}

func (h *abortWithOutput) OnTraffic(c *Conn) Action {
	c.Discard(-1)
	c.Write(make([]byte, 8<<20)) // more than the kernel takes at once
	c.Abort(nil)
	return None
}

func (h *abortWithOutput) OnClose(c *Conn, err error) Action {
	h.closed <- err
	return None
}

// TestAbortResets checks that Abort drops queued output and resets: the
// peer reads an error, never a clean end, and OnClose says what was lost.
func TestAbortResets(t *testing.T) {
	h := &abortWithOutput{closed: make(chan error, 1)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
	c := dial(t, addrs[0])
	defer c.Close()
	c.Write([]byte("go"))
	err := <-h.closed
	var dropped *OutputDroppedError
	if !errors.As(err, &dropped) || !errors.Is(err, ErrAborted) || dropped.Bytes == 0 {
		t.Fatalf("OnClose got %v; want an *OutputDroppedError wrapping ErrAborted", err)
	}
	if !abortiveCloseResets {
		t.Skip("under Wine a close with SO_LINGER 0 reaches the peer as a clean end (see abortiveCloseResets)")
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	got, err := io.ReadAll(c)
	if err == nil || os.IsTimeout(err) {
		t.Fatalf("read %d bytes, then %v; want a reset", len(got), err)
	}
	if len(got) >= 8<<20 {
		t.Fatalf("read all %d bytes of output that Abort should have dropped", len(got))
	}
}
