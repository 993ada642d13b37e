package loop

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/sockloop/sockloop/internal/testnet"
)

func TestDialContextDeadlineEndsAWaitingDial(t *testing.T) {
	target := testnet.BlackHole(t)
	h := newDialReporter()
	e, _ := startEngine(t, h, nil, WithLoops(1))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := e.DialContext(ctx, "tcp", target, nil); err != nil {
		t.Fatal(err)
	}
	err := dialEnd(t, h, h.dialErrs)
	var op *net.OpError
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &op) || op.Op != "dial" {
		t.Fatalf("OnDialError err = %v, want a dial *net.OpError wrapping context.DeadlineExceeded", err)
	}
}

func TestLoopDialContextCancelEndsAWaitingDial(t *testing.T) {
	target := testnet.BlackHole(t)
	h := newDialReporter()
	e, _ := startEngine(t, h, nil, WithLoops(1))
	ctx, cancel := context.WithCancel(context.Background())
	l := e.Loops()[0]
	dialed := make(chan error, 1)
	l.Submit(func() {
		_, err := l.DialContext(ctx, "tcp", target, nil)
		dialed <- err
	})
	if err := <-dialed; err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := dialEnd(t, h, h.dialErrs); !errors.Is(err, context.Canceled) {
		t.Fatalf("OnDialError err = %v, want context.Canceled", err)
	}
}

func TestDialContextResolvesNamesAndOpens(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	h := newDialReporter()
	e, _ := startEngine(t, h, nil, WithLoops(1))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := e.DialContext(ctx, "tcp4", net.JoinHostPort("localhost", port), nil); err != nil {
		t.Fatal(err)
	}
	peer, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	if err := dialEnd(t, h, h.opened); err != nil {
		t.Fatal(err)
	}
	cancel() // an open connection no longer depends on its dial's context
	peer.Close()
	if err := dialEnd(t, h, h.closes); err != nil {
		t.Fatalf("OnClose err = %v, want nil: the peer closed in order", err)
	}
}

func TestRefusedDialReachesOnDialError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := ln.Addr().String()
	ln.Close()
	h := newDialReporter()
	e, _ := startEngine(t, h, nil, WithLoops(1))
	if _, err := e.Dial("tcp", refused, nil); err != nil {
		t.Fatal(err)
	}
	var op *net.OpError
	if err := dialEnd(t, h, h.dialErrs); !errors.As(err, &op) || op.Op != "dial" {
		t.Fatalf("OnDialError err = %v, want a dial *net.OpError", err)
	}
}
