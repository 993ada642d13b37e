package loop

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestTimersAndTasksRunOnTheLoop(t *testing.T) {
	e, _ := startEngine(t, BaseHandler{}, nil)
	l := e.Loops()[1]

	t.Run("AfterFunc runs once, in order of due time", func(t *testing.T) {
		got := make(chan int, 3)
		l.AfterFunc(30*time.Millisecond, func() { got <- 3 })
		l.AfterFunc(10*time.Millisecond, func() { got <- 1 })
		l.AfterFunc(20*time.Millisecond, func() { got <- 2 })
		for want := 1; want <= 3; want++ {
			if v := <-got; v != want {
				t.Fatalf("timer %d ran in position %d", v, want)
			}
		}
	})
	t.Run("Stop cancels", func(t *testing.T) {
		ran := make(chan struct{}, 1)
		tm := l.AfterFunc(time.Hour, func() { ran <- struct{}{} })
		if !tm.Stop() {
			t.Fatal("Stop of a pending timer = false")
		}
		if tm.Stop() {
			t.Fatal("second Stop = true")
		}
		// A timer due right away after the stopped one proves the loop moved on.
		done := make(chan struct{})
		l.AfterFunc(0, func() { close(done) })
		<-done
		select {
		case <-ran:
			t.Fatal("stopped timer ran")
		default:
		}
	})
	t.Run("Every repeats until stopped from its own callback", func(t *testing.T) {
		var n atomic.Int32
		done, ready := make(chan struct{}), make(chan struct{})
		var tm *Timer
		tm = l.Every(time.Millisecond, func() {
			<-ready // tm is assigned
			if n.Add(1) == 5 {
				tm.Stop()
				close(done)
			}
		})
		close(ready)
		<-done
		after := make(chan struct{})
		l.AfterFunc(20*time.Millisecond, func() { close(after) })
		<-after
		if got := n.Load(); got != 5 {
			t.Fatalf("repeating timer ran %d times, want 5", got)
		}
	})
	t.Run("Submit keeps order", func(t *testing.T) {
		got := make(chan int, 100)
		for i := range 100 {
			if err := l.Submit(func() { got <- i }); err != nil {
				t.Fatal(err)
			}
		}
		for want := range 100 {
			if v := <-got; v != want {
				t.Fatalf("task %d ran in position %d", v, want)
			}
		}
	})
}

// tickHandler shuts the engine down from its third tick.
type tickHandler struct {
	BaseHandler
	ticks    atomic.Int32
	booted   atomic.Int32
	shutdown atomic.Int32
}

func (h *tickHandler) OnBoot(*Engine) Action { h.booted.Add(1); return None }
func (h *tickHandler) OnShutdown(*Engine)    { h.shutdown.Add(1) }

func (h *tickHandler) OnTick() (time.Duration, Action) {
	if h.ticks.Add(1) == 3 {
		return time.Millisecond, Shutdown
	}
	return time.Millisecond, None
}

func TestTickerShutdownStopsEngine(t *testing.T) {
	h := &tickHandler{}
	e, err := New(h, WithLoops(2), WithTicker(true), WithLogger(quietLogger), WithBackend(testBackend), WithURingOff(testURingOff))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	<-e.Done()
	if got := h.ticks.Load(); got != 3 {
		t.Errorf("ticks = %d, want 3", got)
	}
	if h.booted.Load() != 1 || h.shutdown.Load() != 1 {
		t.Errorf("OnBoot ran %d times, OnShutdown %d times; want once each", h.booted.Load(), h.shutdown.Load())
	}
	if err := e.Loops()[0].Submit(func() {}); err != ErrEngineStopped {
		t.Errorf("Submit after stop = %v, want ErrEngineStopped", err)
	}
}
