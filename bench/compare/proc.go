//go:build linux

package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is one server process under test.
type server struct {
	cmd *exec.Cmd
}

// startServer starts impl listening on addr: the C floor from the binaries
// built in cdir, the Go servers as this executable's "server" subcommand.
// Pinned, it runs under taskset -c 0 with GOMAXPROCS=1.
// extra goes at the end of a Go server's arguments.
func startServer(impl string, w workload, s setup, addr, cdir string, extra ...string) (*server, error) {
	var argv []string
	if impl == "c" {
		host, port, _ := net.SplitHostPort(addr)
		bin := cdir + "/echo"
		if w.http {
			bin = cdir + "/http"
		}
		argv = []string{bin, host, port, strconv.Itoa(s.loops)}
	} else {
		self, err := os.Executable()
		if err != nil {
			return nil, err
		}
		argv = []string{self, "server", "-impl", impl, "-addr", addr, "-loops", strconv.Itoa(s.loops)}
		if w.http {
			argv = append(argv, "-http")
		}
		argv = append(argv, extra...)
	}
	return startProc(impl, argv, s.serverCPUs, addr)
}

// startProc starts the server argv (under taskset -c cpus with GOMAXPROCS
// one per CPU, where cpus are given) and waits until it accepts connections
// on addr.
func startProc(name string, argv []string, cpus []int, addr string) (*server, error) {
	cmd := serverCommand(argv, cpus)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	srv := &server{cmd: cmd}
	if err := awaitAccepting(name, addr, nil); err != nil {
		srv.stop()
		return nil, err
	}
	return srv, nil
}

// serverCommand is argv under taskset -c cpus where cpus are given, with
// GOMAXPROCS one per CPU, its output on this program's standard error.
func serverCommand(argv []string, cpus []int) *exec.Cmd {
	if len(cpus) > 0 {
		argv = append([]string{"taskset", "-c", cpuList(cpus)}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	cmd.Env = os.Environ()
	if len(cpus) > 0 {
		cmd.Env = append(cmd.Env, "GOMAXPROCS="+strconv.Itoa(len(cpus)))
	}
	return cmd
}

// awaitAccepting dials addr until a connection succeeds, failing once ten
// seconds pass or exited (nil: never) is closed.
func awaitAccepting(name, addr string, exited <-chan struct{}) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("%s server on %s exited: %v", name, addr, err)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s server on %s: %v", name, addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// cpu returns the process's user + system CPU time so far (all threads),
// from /proc/PID/stat. taskset execs the server, so the PID is the server's.
func (s *server) cpu() (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	// Fields after the parenthesised command name: state is field 3,
	// utime 14 and stime 15.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	const hz = 100 // USER_HZ on Linux
	return time.Duration(ut+st) * time.Second / hz, nil
}

// fds returns how many sockets the process has open. Pipes are left out:
// splice(2) relays keep spare ones in pools (Go's io.Copy until a garbage
// collection, HAProxy up to maxpipes), bounded and not per connection.
func (s *server) fds() (int, error) {
	return openSockets(fmt.Sprintf("/proc/%d/fd", s.cmd.Process.Pid))
}

// openSockets counts the sockets among the descriptors listed in dir, a
// /proc/PID/fd; one closed while it is read is not counted.
func openSockets(dir string) (int, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range ents {
		if l, err := os.Readlink(dir + "/" + e.Name()); err == nil && strings.HasPrefix(l, "socket:") {
			n++
		}
	}
	return n, nil
}

// fdsSettle waits up to limit for the process to hold no more sockets than
// base, and says how many it still holds past that.
func (s *server) fdsSettle(base int, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		n, err := s.fds()
		if err != nil || n <= base {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d sockets open %v after the load, %d before it", n, limit, base)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// selfCPU returns this process's user + system CPU time so far: the echo
// client's, since the servers run in processes of their own.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
}
