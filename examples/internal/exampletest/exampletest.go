// Package exampletest holds what the examples' tests share: building the
// example's binary once, a free loopback port, and dialing a server that is
// still starting.
package exampletest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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

// Server is a running example whose output the test keeps.
type Server struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
}

// Start runs the example with args; it is killed if the test ends first.
func Start(t testing.TB, args ...string) *Server {
	t.Helper()
	s := &Server{cmd: exec.Command(Build(t), args...)}
	s.cmd.Stdout, s.cmd.Stderr = &s.stdout, &s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill() })
	return s
}

// Pid returns the server's process ID, for looking at it in /proc.
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// StopQuietly interrupts the server and fails the test unless it exits
// cleanly having printed nothing, as every example promises.
func (s *Server) StopQuietly(t testing.TB) {
	t.Helper()
	s.cmd.Process.Signal(os.Interrupt)
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGINT: %v; stderr %q", err, s.stderr.String())
	}
	if s.stdout.Len()+s.stderr.Len() != 0 {
		t.Fatalf("printed %q / %q; want nothing", s.stdout.String(), s.stderr.String())
	}
}

// StartIOURing checks that the example refuses an unknown -backend, then
// starts it on io_uring with two loops (where the kernel refuses io_uring,
// the engine runs on epoll instead) and returns it with a connection to it.
// It skips in -short mode and off Linux.
func StartIOURing(t testing.TB) (*Server, net.Conn) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the example")
	}
	RefuseBogusBackend(t)
	if runtime.GOOS != "linux" {
		t.Skip("io_uring is Linux's")
	}
	addr := FreePort(t)
	srv := Start(t, "-addr", addr, "-loops", "2", "-backend", "io_uring")
	c := DialRetry(t, addr)
	t.Cleanup(func() { c.Close() })
	return srv, c
}

// RefuseBogusBackend checks that an unknown -backend exits with status 2
// and names it; extra are flags the example needs to get that far.
func RefuseBogusBackend(t testing.TB, extra ...string) {
	t.Helper()
	out, err := exec.Command(Build(t), append([]string{"-backend", "bogus"}, extra...)...).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !bytes.Contains(out, []byte("bogus")) {
		t.Fatalf("-backend bogus: %v, %q; want exit status 2 naming the backend", err, out)
	}
}
