// Package exampletest holds what the examples' tests share: building the
// example's binary once, a free loopback port, and dialing a server that is
// still starting.
package exampletest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// Build compiles the example in the test's directory once per test binary
// and returns the path of the program.
func Build(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sockloop-example-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "server")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// Main runs the tests and removes the binary Build made:
// os.Exit(exampletest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	return code
}

// FreePort returns a loopback TCP address nothing listens on right now.
func FreePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// DialRetry dials addr until the freshly started server listens (for up to
// ten seconds) and gives the connection a 30-second deadline, so that a hung
// server fails the test instead of stalling it.
func DialRetry(t testing.TB, addr string) net.Conn {
	t.Helper()
	var lastErr error
	for range 200 {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.SetDeadline(time.Now().Add(30 * time.Second))
			return c
		}
		lastErr = err
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server never answered on %s: %v", addr, lastErr)
	return nil
}
