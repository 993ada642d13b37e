//go:build linux

package main

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/sockloop/sockloop/loop"
)

// TestEchoLoadThreads drives a sockloop echo server with two pinned client
// threads, as a scale2 set-up would, and checks that their messages add up.
func TestEchoLoadThreads(t *testing.T) {
	e, err := loop.New(sockloopEcho{}, loop.WithLoops(1), loop.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	addr, err := e.Listen("tcp://127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer e.Stop(ctx)
	cpus := []int{0, 1}
	if runtime.NumCPU() < 2 {
		cpus = []int{0, 0}
	}
	w := workload{name: "echo", conns: 5, size: 64, depth: 2}
	marks := 0
	msgs, took, p50, _, err := echoLoad(addr.String(), w, cpus, 50*time.Millisecond, func() { marks++ })
	if err != nil {
		t.Fatal(err)
	}
	// Three connections on one thread and two on the other, each running
	// at least one chunk of 32 batches per connection: chunks of 192 and
	// 128 messages.
	if msgs < 192+128 || msgs%64 != 0 {
		t.Errorf("messages %d: not whole chunks of both threads", msgs)
	}
	if marks != 2 || took < 50*time.Millisecond || p50 <= 0 {
		t.Errorf("marks %d, took %v, p50 %v", marks, took, p50)
	}
}

// TestEchoLoadFailsCleanly checks that a refused dial on one thread is
// reported, not waited on.
func TestEchoLoadFailsCleanly(t *testing.T) {
	w := workload{name: "echo", conns: 2, size: 64, depth: 1}
	marks := 0
	_, _, _, _, err := echoLoad("127.0.0.1:1", w, []int{0, 0}, time.Second, func() { marks++ })
	if err == nil {
		t.Fatal("no error from a load on a closed port")
	}
	if marks != 2 {
		t.Errorf("marks %d, want 2 (start and end, even on failure)", marks)
	}
}
