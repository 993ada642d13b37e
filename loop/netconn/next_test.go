package netconn_test

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sockloop/sockloop/loop"
	"github.com/sockloop/sockloop/loop/netconn"
)

// recorder echoes in its callbacks and records which callbacks ran.
type recorder struct {
	echo
	closed   chan error // OnClose's reasons
	dialErrs chan error // OnDialError's, when it has one
}

func newRecorder() *recorder {
	return &recorder{closed: make(chan error, 4), dialErrs: make(chan error, 4)}
}

func (r *recorder) OnClose(_ *loop.Conn, err error) loop.Action {
	r.closed <- err
	return loop.None
}

// dialReporter is a recorder that is also a DialErrorHandler.
type dialReporter struct{ *recorder }

func (r dialReporter) OnDialError(_ *loop.Conn, err error) loop.Action {
	r.dialErrs <- err
	return loop.None
}

// ticker is a recorder that is also a LoopTickHandler.
type ticker struct {
	*recorder
	ticks atomic.Int32
}

func (tk *ticker) OnLoopTick(*loop.Loop) (time.Duration, loop.Action) {
	tk.ticks.Add(1)
	return 0, loop.None
}

// TestNextKeepsItsBehaviour: next's connections behave as under an engine
// of their own: the peer's end closes them once their output is flushed
// (next has no OnReadEOF), a failed dial reaches OnDialError where next
// has it and OnClose where it does not, and per-loop ticks reach it.
func TestNextKeepsItsBehaviour(t *testing.T) {
	refused := func(t *testing.T) string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return l.Addr().String()
	}

	t.Run("end-of-input", func(t *testing.T) {
		r := newRecorder()
		s := startEngine(t, "tcp://127.0.0.1:0", false, netconn.NewHandler(r))
		c, err := net.Dial("tcp", s.addr.String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte("abc"))
		c.(*net.TCPConn).CloseWrite()
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		got, err := io.ReadAll(c)
		if err != nil || string(got) != "abc" {
			t.Fatalf("read %q, %v; want the echo, then the server's end", got, err)
		}
		if err := <-r.closed; err != nil {
			t.Errorf("OnClose: %v; want nil after an orderly end", err)
		}
	})

	t.Run("dial-error-handler", func(t *testing.T) {
		r := dialReporter{newRecorder()}
		s := startEngine(t, "tcp://127.0.0.1:0", false, netconn.NewHandler(r))
		if _, err := s.e.Dial("tcp", refused(t), nil); err != nil {
			t.Fatal(err)
		}
		within(t, 10*time.Second, "OnDialError", func() {
			if err := <-r.dialErrs; !isRefused(err) {
				t.Errorf("OnDialError: %v; want a refused connection", err)
			}
		})
	})

	t.Run("dial-error-as-close", func(t *testing.T) {
		r := newRecorder()
		s := startEngine(t, "tcp://127.0.0.1:0", false, netconn.NewHandler(r))
		if _, err := s.e.Dial("tcp", refused(t), nil); err != nil {
			t.Fatal(err)
		}
		within(t, 10*time.Second, "OnClose", func() {
			if err := <-r.closed; !isRefused(err) {
				t.Errorf("OnClose: %v; want a refused connection", err)
			}
		})
	})

	t.Run("loop-ticks", func(t *testing.T) {
		tk := &ticker{recorder: newRecorder()}
		startEngine(t, "tcp://127.0.0.1:0", false, netconn.NewHandler(tk))
		within(t, 10*time.Second, "OnLoopTick on both loops", func() {
			for tk.ticks.Load() < 2 {
				time.Sleep(time.Millisecond)
			}
		})
	})
}

// stopper is a recorder that is also a StopHandler.
type stopper struct {
	*recorder
	stops atomic.Int32
}

func (s *stopper) OnStop(*loop.Conn) loop.Action {
	s.stops.Add(1)
	return loop.Close
}

// TestNextStops: a stop reaches next's OnStop where it has one; without
// it, next's connections close with loop.ErrEngineStopped as the reason,
// as the engine closes them.
func TestNextStops(t *testing.T) {
	for _, tt := range []struct {
		name   string
		onStop bool  // next is a StopHandler
		reason error // what next's OnClose gets
	}{
		{name: "on-stop", onStop: true, reason: nil},
		{name: "default", onStop: false, reason: loop.ErrEngineStopped},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRecorder()
			var next loop.Handler = r
			var sp *stopper
			if tt.onStop {
				sp = &stopper{recorder: r}
				next = sp
			}
			s := startEngine(t, "tcp://127.0.0.1:0", false, netconn.NewHandler(next))
			c, err := net.Dial("tcp", s.addr.String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.Write([]byte("x")) // echoed once the loops have it
			if _, err := io.ReadFull(c, make([]byte, 1)); err != nil {
				t.Fatal(err)
			}
			s.stop(t)
			if err := <-r.closed; !errors.Is(err, tt.reason) {
				t.Errorf("OnClose: %v; want %v", err, tt.reason)
			}
			if sp != nil && sp.stops.Load() != 1 {
				t.Errorf("OnStop ran %d times; want once", sp.stops.Load())
			}
		})
	}
}

// TestEngineTimeout: an engine-wide timeout closes a Conn once its output
// is flushed, and its reader gets a timeout error.
func TestEngineTimeout(t *testing.T) {
	s := startServer(t, nil, loop.WithIdleTimeout(100*time.Millisecond))
	c, _ := s.pair(t)
	var n int
	var err error
	within(t, 10*time.Second, "Read", func() { n, err = c.Read(make([]byte, 1)) })
	var ne net.Error
	if n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("Read on an idle connection: %d, %v; want a timeout", n, err)
	}
}

// TestOneEngine: a Handler serves one engine; a second refuses to start.
func TestOneEngine(t *testing.T) {
	s := startServer(t, nil)
	e, err := loop.New(s.h, engineOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(context.Background()); !errors.Is(err, loop.ErrEngineStopped) {
		e.Stop(context.Background())
		t.Fatalf("second engine's Start: %v; want loop.ErrEngineStopped", err)
	}
}

// refuser cancels the engine's start.
type refuser struct{ loop.BaseHandler }

func (refuser) OnBoot(*loop.Engine) loop.Action { return loop.Shutdown }

// TestNextRefusesStart: when next cancels the start, Accept does not wait
// for an engine that will never run.
func TestNextRefusesStart(t *testing.T) {
	h := netconn.NewHandler(refuser{})
	e, err := loop.New(h, engineOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.Listen("tcp://127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := h.Listener(a)
	if err := e.Start(context.Background()); !errors.Is(err, loop.ErrEngineStopped) {
		t.Fatalf("Start: %v; want loop.ErrEngineStopped", err)
	}
	within(t, 10*time.Second, "Accept", func() {
		if _, err := ln.Accept(); !errors.Is(err, loop.ErrEngineStopped) {
			t.Errorf("Accept: %v; want loop.ErrEngineStopped", err)
		}
	})
}
