package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/sockloop/sockloop/examples/internal/exampletest"
)

// TestCommandLine builds the example and checks its command-line contract:
// it serves each network on -addr, prints nothing, and exits on SIGTERM.
func TestCommandLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	unixAddr := func(t *testing.T) string { return filepath.Join(t.TempDir(), "echo.sock") }
	for _, tc := range []struct {
		network string
		addr    func(t *testing.T) string
		backend string
	}{
		{network: "tcp", addr: freePort("tcp")},
		{network: "udp", addr: freePort("udp")},
		{network: "unix", addr: unixAddr},
		{network: "tcp", addr: freePort("tcp"), backend: "io_uring"},
		{network: "udp", addr: freePort("udp"), backend: "io_uring"},
		{network: "unix", addr: unixAddr, backend: "io_uring"},
	} {
		name := tc.network
		if tc.backend != "" {
			name += "-" + tc.backend
		}
		t.Run(name, func(t *testing.T) {
			args := []string{"-network", tc.network, "-addr", tc.addr(t), "-loops", "2"}
			if tc.backend != "" {
				if runtime.GOOS != "linux" {
					t.Skip("io_uring is Linux's")
				}
				args = append(args, "-backend", tc.backend)
			}
			addr := args[3]
			srv := exampletest.Start(t, args...)
			c := dialRetry(t, tc.network, addr)
			defer c.Close()
			msg := []byte("hello over " + tc.network)
			c.Write(msg)
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			got := make([]byte, len(msg))
			if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, msg) {
				t.Fatalf("echo = %q, %v; want %q", got, err, msg)
			}
			srv.StopQuietly(t)
		})
	}
}

// TestUnknownBackend refuses a backend name it does not know.
func TestUnknownBackend(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	exampletest.RefuseBogusBackend(t)
}

func freePort(network string) func(t *testing.T) string {
	return func(t *testing.T) string {
		var addr string
		if network == "udp" {
			c, err := net.ListenPacket("udp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr = c.LocalAddr().String()
			c.Close()
		} else {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr = ln.Addr().String()
			ln.Close()
		}
		return addr
	}
}

// dialRetry dials until the freshly started server listens.
func dialRetry(t *testing.T, network, addr string) net.Conn {
	t.Helper()
	var lastErr error
	for range 200 {
		c, err := net.Dial(network, addr)
		if err == nil && network == "udp" {
			// A UDP "dial" always succeeds; probe until the server answers.
			c.Write([]byte("probe"))
			c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
			if _, err = c.Read(make([]byte, 16)); err == nil {
				c.SetReadDeadline(time.Time{})
				return c
			}
			c.Close()
		} else if err == nil {
			return c
		}
		lastErr = err
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal(fmt.Errorf("server never answered on %s %s: %w", network, addr, lastErr))
	return nil
}

func TestMain(m *testing.M) { os.Exit(exampletest.Main(m)) }
