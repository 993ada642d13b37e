package main

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sockloop/sockloop/examples/internal/exampletest"
)

// TestTLS echoes over TLS (-tls self-signed) on TCP and on a Unix socket,
// and refuses -tls on a datagram network.
func TestTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	for _, network := range []string{"tcp", "unix"} {
		t.Run(network, func(t *testing.T) {
			addr := exampletest.FreePort(t)
			if network == "unix" {
				addr = filepath.Join(t.TempDir(), "echo.sock")
			}
			srv := exampletest.Start(t, "-network", network, "-addr", addr, "-loops", "2", "-tls", "self-signed")
			var raw net.Conn
			var err error
			for range 200 {
				if raw, err = net.Dial(network, addr); err == nil {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			if err != nil {
				t.Fatal(err)
			}
			c := tls.Client(raw, &tls.Config{InsecureSkipVerify: true})
			c.SetDeadline(time.Now().Add(30 * time.Second))
			want := bytes.Repeat([]byte("sockloop over TLS\n"), 1<<15)
			go c.Write(want)
			got := make([]byte, len(want))
			if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, want) {
				t.Fatalf("echo over TLS: %v", err)
			}
			c.Close()
			srv.StopQuietly(t)
		})
	}
	t.Run("udp", func(t *testing.T) {
		out, err := exec.Command(exampletest.Build(t), "-network", "udp", "-tls", "self-signed").CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "stream network") {
			t.Fatalf("-tls on udp: %v, %q; want exit status 2 and why", err, out)
		}
	})
}
