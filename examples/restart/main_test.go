//go:build linux

package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/examples/internal/exampletest"
)

// TestMain makes the test process the reaper of the servers' orphans:
// each process of a line of restarts is the child of the one before,
// which exits first, and the test must see each one exit.
func TestMain(m *testing.M) {
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		fmt.Fprintln(os.Stderr, "cannot become a subreaper:", err)
		os.Exit(1)
	}
	os.Exit(exampletest.Main(m))
}

// TestRestartLosesNoConnection restarts the server three times while
// clients keep opening connections at a steady rate and echoing a message
// on each: every attempt must connect and get its echo, every replaced
// process must exit with status 0, and none may print anything.
func TestRestartLosesNoConnection(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	for _, tc := range []struct {
		network, backend string
		restarts         int
	}{
		{network: "tcp", backend: "epoll", restarts: 3},
		{network: "tcp", backend: "io_uring", restarts: 3},
		{network: "unix", backend: "epoll", restarts: 2},
	} {
		t.Run(tc.network+"-"+tc.backend, func(t *testing.T) {
			restarts(t, tc.network, tc.backend, tc.restarts)
		})
	}
}

func restarts(t *testing.T, network, backend string, n int) {
	dir := t.TempDir()
	addr := exampletest.FreePort(t)
	if network == "unix" {
		addr = filepath.Join(dir, "echo.sock")
	}
	pidfile := filepath.Join(dir, "pid")
	output, err := os.Create(filepath.Join(dir, "output"))
	if err != nil {
		t.Fatal(err)
	}
	defer output.Close()
	// A file, not a pipe: every process of the line writes to it, and a
	// pipe's reader would wait for the last of them.
	cmd := exec.Command(exampletest.Build(t), "-network", network, "-addr", addr, "-loops", "2", "-backend", backend, "-pidfile", pidfile)
	cmd.Stdout, cmd.Stderr = output, output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line := &processes{first: cmd}
	t.Cleanup(line.killAll)

	pid := awaitPidfile(t, pidfile, 0)
	line.add(pid)
	load := startLoad(network, addr, 4)
	for i := range n {
		before := load.attempts.Load()
		if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		next := awaitPidfile(t, pidfile, pid)
		line.add(next)
		if status := line.wait(t, pid); status != 0 {
			t.Fatalf("restart %d: the replaced process exited with status %d", i+1, status)
		}
		t.Logf("restart %d: %d attempts while process %d handed over to %d", i+1, load.attempts.Load()-before, pid, next)
		if load.attempts.Load() == before {
			t.Fatalf("restart %d: no connection attempt overlapped it; the test proves nothing", i+1)
		}
		pid = next
	}
	load.runFor(200) // and on, with the last process
	attempts, failures := load.stop()
	if len(failures) > 0 {
		t.Errorf("%d of %d connection attempts failed; the first: %v", len(failures), attempts, failures[0])
	}
	syscall.Kill(pid, syscall.SIGTERM)
	if status := line.wait(t, pid); status != 0 {
		t.Fatalf("the last process exited with status %d after SIGTERM", status)
	}
	if out, _ := os.ReadFile(output.Name()); len(out) > 0 {
		t.Errorf("the processes printed %q; want nothing", out)
	}
	leftovers := []string{pidfile}
	if network == "unix" {
		leftovers = append(leftovers, addr)
	}
	for _, path := range leftovers {
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%s left behind after the last process exited (%v)", path, err)
		}
	}
}

// awaitPidfile waits for pidfile to name a process other than old.
func awaitPidfile(t *testing.T, pidfile string, old int) int {
	t.Helper()
	for range 2000 {
		b, err := os.ReadFile(pidfile)
		if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && perr == nil && pid != old {
			return pid
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s never named a process other than %d", pidfile, old)
	return 0
}

// processes is a line of server processes: the first started by the test,
// the others by their predecessors and, once orphaned, children of the
// test through TestMain's subreaper.
type processes struct {
	first *exec.Cmd
	mu    sync.Mutex
	live  map[int]bool
}

func (p *processes) add(pid int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.live == nil {
		p.live = make(map[int]bool)
	}
	p.live[pid] = true
}

// wait waits (for at most a minute, so that a hung process fails the test
// rather than stalls it) for pid to exit and returns its exit status.
func (p *processes) wait(t *testing.T, pid int) int {
	t.Helper()
	status := make(chan int, 1)
	go func() {
		if pid == p.first.Process.Pid {
			p.first.Wait()
			status <- p.first.ProcessState.ExitCode()
			return
		}
		var ws syscall.WaitStatus
		for {
			_, err := syscall.Wait4(pid, &ws, 0, nil)
			if err != syscall.EINTR {
				break
			}
		}
		status <- ws.ExitStatus()
	}()
	select {
	case s := <-status:
		p.mu.Lock()
		delete(p.live, pid)
		p.mu.Unlock()
		return s
	case <-time.After(time.Minute):
		t.Fatalf("process %d did not exit", pid)
		return -1
	}
}

// killAll kills what a failed test left running.
func (p *processes) killAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for pid := range p.live {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	p.first.Process.Kill()
}

// load is clients that each open a connection, echo one message on it and
// close it, once every 5 ms, until stopped.
type load struct {
	attempts atomic.Int64
	mu       sync.Mutex
	failures []error
	quit     chan struct{}
	wg       sync.WaitGroup
}

func startLoad(network, addr string, clients int) *load {
	l := &load{quit: make(chan struct{})}
	for id := range clients {
		l.wg.Add(1)
		go l.client(network, addr, id)
	}
	return l
}

func (l *load) client(network, addr string, id int) {
	defer l.wg.Done()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for seq := 0; ; seq++ {
		select {
		case <-l.quit:
			return
		case <-tick.C:
		}
		if err := echoOnce(network, addr, fmt.Sprintf("client %d message %d\n", id, seq)); err != nil {
			l.mu.Lock()
			l.failures = append(l.failures, err)
			l.mu.Unlock()
		}
		l.attempts.Add(1)
	}
}

// echoOnce is one attempt: connect, send msg, read it back, close. The
// deadlines only keep a lost connection from hanging the test.
func echoOnce(network, addr, msg string) error {
	c, err := net.DialTimeout(network, addr, 10*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, msg); err != nil {
		return fmt.Errorf("%q: write: %w", msg, err)
	}
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil {
		return fmt.Errorf("%q: read: %w", msg, err)
	}
	if !bytes.Equal(got, []byte(msg)) {
		return fmt.Errorf("echo %q, want %q", got, msg)
	}
	return nil
}

// runFor lets the clients make n more attempts.
func (l *load) runFor(n int64) {
	for target := l.attempts.Load() + n; l.attempts.Load() < target; {
		time.Sleep(5 * time.Millisecond)
	}
}

func (l *load) stop() (int64, []error) {
	close(l.quit)
	l.wg.Wait()
	return l.attempts.Load(), l.failures
}
