package netconn_test

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"github.com/sockloop/sockloop/loop"
	"github.com/sockloop/sockloop/loop/netconn"
)

// TestListenerClose: Close ends a blocked Accept with net.ErrClosed and
// closes the connections accepted and not yet taken; a connection Accept
// returned stays open.
func TestListenerClose(t *testing.T) {
	s := startServer(t, nil)
	taken, takenClient := s.pair(t)

	waiting := make([]net.Conn, 3)
	for i := range waiting {
		c, err := net.Dial("tcp", s.ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		waiting[i] = c
	}
	within(t, 10*time.Second, "the loops' accepts", func() {
		for netconn.Queued(s.ln) < len(waiting) {
			time.Sleep(time.Millisecond)
		}
	})
	accepted := make(chan error, 1)
	if err := s.ln.Close(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_, err := s.ln.Accept()
		accepted <- err
	}()
	within(t, 10*time.Second, "Accept after Close", func() {
		if err := <-accepted; !errors.Is(err, net.ErrClosed) {
			t.Errorf("Accept after Close: %v; want net.ErrClosed", err)
		}
	})
	for i, c := range waiting {
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("connection %d never accepted: read %d, %v; want the end of the stream", i, n, err)
		}
	}
	takenClient.Write([]byte("ping"))
	buf := make([]byte, 4)
	if _, err := io.ReadFull(taken, buf); err != nil || string(buf) != "ping" {
		t.Fatalf("accepted connection after the listener closed: %q, %v", buf, err)
	}
	if err := s.ln.Close(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("second Close: %v; want net.ErrClosed", err)
	}
}

// TestEngineStop: stopping the engine ends a blocked Accept, Read, Write
// and DialContext with errors matching loop.ErrEngineStopped.
func TestEngineStop(t *testing.T) {
	s := startServer(t, nil)
	reader, _ := s.pair(t)
	writer, _ := s.pair(t) // its client never reads
	for {
		writer.SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
		if _, err := writer.Write(make([]byte, 64<<10)); err != nil {
			break // blocked: the kernel is full
		}
	}
	writer.SetWriteDeadline(time.Time{})
	errs := make(chan error, 3)
	go func() { _, err := s.ln.Accept(); errs <- err }()
	go func() { _, err := reader.Read(make([]byte, 1)); errs <- err }()
	go func() {
		var err error
		for err == nil { // until the kernel and the loop hold all they take
			_, err = writer.Write(make([]byte, 64<<10))
		}
		errs <- err
	}()
	time.Sleep(50 * time.Millisecond) // let them block; the test holds either way
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	s.e.Stop(ctx) // the writer's output cannot drain: Stop closes it by force
	within(t, 10*time.Second, "calls after Stop", func() {
		for range 3 {
			if err := <-errs; err == nil || err == io.EOF {
				t.Errorf("call ended by Stop: %v; want an error", err)
			}
		}
	})
	if _, err := s.ln.Accept(); !errors.Is(err, loop.ErrEngineStopped) || !errors.Is(err, net.ErrClosed) {
		t.Errorf("Accept after Stop: %v; want loop.ErrEngineStopped and net.ErrClosed", err)
	}
	if _, err := reader.Read(make([]byte, 1)); !errors.Is(err, loop.ErrEngineStopped) {
		t.Errorf("Read after Stop: %v; want loop.ErrEngineStopped", err)
	}
	if _, err := s.h.DialContext(context.Background(), "tcp", s.ln.Addr().String()); err == nil {
		t.Error("DialContext after Stop succeeded")
	}
}

// TestListen: closing the Listener frees its address, and the engine
// Listen started stops once the last connection it accepted has closed
// too, not before.
func TestListen(t *testing.T) {
	ln, err := netconn.Listen(context.Background(), "tcp://127.0.0.1:0", engineOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	c, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	select {
	case <-ln.Engine().Done():
		t.Fatal("the engine stopped with a connection open")
	default:
	}
	if late, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		late.Close()
		t.Error("the address still accepts connections after Close")
	}
	client.Write([]byte("ok"))
	buf := make([]byte, 2)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "ok" {
		t.Fatalf("Read after the listener closed: %q, %v", buf, err)
	}
	c.Close()
	within(t, 10*time.Second, "the engine's stop", func() { <-ln.Engine().Done() })
}

// TestListenContext: the engine Listen starts stops when its context ends,
// ending Accept.
func TestListenContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ln, err := netconn.Listen(ctx, "tcp://127.0.0.1:0", engineOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cancel()
	within(t, 10*time.Second, "the engine's stop", func() { <-ln.Engine().Done() })
	if _, err := ln.Accept(); !errors.Is(err, loop.ErrEngineStopped) {
		t.Errorf("Accept: %v; want loop.ErrEngineStopped", err)
	}
	if _, err := netconn.Listen(context.Background(), "bogus://x"); err == nil {
		t.Error("Listen on a bogus address succeeded")
	}
}
