package main

import (
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/sockloop/sockloop/examples/internal/exampletest"
	"github.com/sockloop/sockloop/internal/testnet"
)

// TestUpstreamUnreachable: an upstream that never answers the connect (its
// SYNs dropped) ends the client's connection with a reset after
// -connect-timeout, rather than after the kernel's two minutes of retries.
func TestUpstreamUnreachable(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the example")
	}
	for _, backend := range []string{"epoll", "io_uring"} {
		t.Run(backend, func(t *testing.T) {
			addr := exampletest.FreePort(t)
			exampletest.Start(t, "-addr", addr, "-upstream", testnet.BlackHole(t), "-loops", "1", "-backend", backend, "-connect-timeout", "200ms")
			c := exampletest.DialRetry(t, addr)
			defer c.Close()
			c.Write([]byte("anyone?"))
			c.SetReadDeadline(time.Now().Add(20 * time.Second))
			b, err := io.ReadAll(c)
			if len(b) != 0 || errors.Is(err, os.ErrDeadlineExceeded) || err == nil {
				t.Fatalf("read %q, %v; want the connection reset once the connect timed out", b, err)
			}
		})
	}
}
