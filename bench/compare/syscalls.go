//go:build linux

package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// sysCounter counts the system calls of one server process with
// `perf stat -e raw_syscalls:sys_enter -e syscalls:sys_enter_<name>... -p PID`:
// counting only (no samples), every thread of the process including those it
// starts later, kernel-side, so nothing the server does is missed and little
// is added to it. Attached after the server's start-up and stopped right
// after the load, it counts the load (and the few calls an idle Go runtime
// makes in the gaps). The total counts every call; the names below are the
// ones the servers here make on their hot paths, the rest show as "other".
// (All of syscalls:sys_enter_* works too, but perf then takes some 13 s to
// detach.)
type sysCounter struct {
	cmd *exec.Cmd
	out string
}

// sysNames are the calls counted by name.
var sysNames = []string{"read", "write", "readv", "writev", "recvfrom", "sendto", "recvmsg", "sendmsg",
	"epoll_wait", "epoll_pwait", "epoll_pwait2", "epoll_ctl", "io_uring_enter", "futex", "nanosleep",
	"sched_yield", "accept4", "close", "getsockopt", "setsockopt"}

// perfSettle is how long perf is given to attach before the load starts: it
// opens a few hundred tracepoint events per thread.
const perfSettle = 300 * time.Millisecond

// countSyscalls attaches perf stat to pid.
func countSyscalls(pid int) (*sysCounter, error) {
	f, err := os.CreateTemp("", "compare-perf-*.csv")
	if err != nil {
		return nil, err
	}
	f.Close()
	args := []string{"stat", "-x,", "-o", f.Name(), "-p", strconv.Itoa(pid), "-e", "raw_syscalls:sys_enter"}
	for _, name := range sysNames {
		args = append(args, "-e", "syscalls:sys_enter_"+name)
	}
	cmd := exec.Command("perf", args...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		os.Remove(f.Name())
		return nil, fmt.Errorf("perf: %v", err)
	}
	time.Sleep(perfSettle)
	return &sysCounter{cmd: cmd, out: f.Name()}, nil
}

// sysCount is one system call's count.
type sysCount struct {
	name string
	n    int64
}

// stop ends the count and returns the total and the calls by name, most
// frequent first.
func (s *sysCounter) stop() (total int64, byName []sysCount, err error) {
	defer os.Remove(s.out)
	s.cmd.Process.Signal(syscall.SIGINT)
	if err := s.cmd.Wait(); err != nil {
		// perf exits with the signal's status after writing its counts.
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() == 127 {
			return 0, nil, fmt.Errorf("perf: %v", err)
		}
	}
	f, err := os.Open(s.out)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	total = -1
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// count,unit,event,run time,percentage,...
		fields := strings.Split(sc.Text(), ",")
		if len(fields) < 3 {
			continue
		}
		n, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			continue // "<not counted>" or "<not supported>"
		}
		switch ev := fields[2]; {
		case ev == "raw_syscalls:sys_enter":
			total = n
		case strings.HasPrefix(ev, "syscalls:sys_enter_") && n > 0:
			byName = append(byName, sysCount{strings.TrimPrefix(ev, "syscalls:sys_enter_"), n})
		}
	}
	if total < 0 {
		return 0, nil, fmt.Errorf("perf: no raw_syscalls:sys_enter count in its output")
	}
	named := int64(0)
	for _, c := range byName {
		named += c.n
	}
	if total > named {
		byName = append(byName, sysCount{"other", total - named})
	}
	slices.SortFunc(byName, func(a, b sysCount) int { return int(b.n - a.n) })
	return total, byName, sc.Err()
}

// sysDetail formats the calls made at least once per 100 ops, per op.
func sysDetail(byName []sysCount, ops float64) string {
	var parts []string
	for _, c := range byName {
		if per := float64(c.n) / ops; per >= 0.01 {
			parts = append(parts, fmt.Sprintf("%s %.2f", c.name, per))
		}
	}
	return strings.Join(parts, ", ")
}
