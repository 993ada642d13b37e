package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/sockloop/sockloop/loop"
)

// TestStopDrains stops the server with one idle keep-alive connection and
// one whose request is half sent: the idle one closes at once, the other
// gets its answer, marked "Connection: close", and then Stop returns nil.
func TestStopDrains(t *testing.T) {
	e, err := loop.New(&server{}, loop.WithLoops(1))
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.Listen("tcp://127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	idle, err := net.Dial("tcp", a.String())
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	idleR := bufio.NewReader(idle)
	fmt.Fprint(idle, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	checkHello(t, idleR, "GET")

	busy, err := net.Dial("tcp", a.String())
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyR := bufio.NewReader(busy)
	fmt.Fprint(busy, "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /plaintext HTTP/1.1\r\n")
	checkHello(t, busyR, "GET")
	const sent = 27 + 27 + 25 // both connections' bytes, the half request's included
	for i := 0; e.Stats().BytesIn < sent; i++ {
		if i == 2000 {
			t.Fatalf("the server read %d bytes of %d", e.Stats().BytesIn, sent)
		}
		time.Sleep(10 * time.Millisecond)
	}

	stopped := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		stopped <- e.Stop(ctx)
	}()
	expectEOF(t, idle, idleR)
	select {
	case err := <-stopped:
		t.Fatalf("Stop returned (%v) with a request under way", err)
	default:
	}
	fmt.Fprint(busy, "Host: x\r\n\r\n")
	r := checkHello(t, busyR, "GET")
	if !r.Close {
		t.Fatalf("the answer during the stop says Connection %q; want close", r.Header.Get("Connection"))
	}
	expectEOF(t, busy, busyR)
	if err := <-stopped; err != nil {
		t.Fatalf("Stop = %v; want nil", err)
	}
}
