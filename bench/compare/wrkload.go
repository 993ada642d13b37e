//go:build linux

package main

import (
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	wrkRate  = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkTotal = regexp.MustCompile(`(\d+) requests in`)
	wrkLat   = regexp.MustCompile(`^(50|99)%$`)
	// wrkSockErrs are connect, read, write and timeout errors.
	wrkSockErrs = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xx   = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

// wrkResult is what one wrk run reports, and the CPU time it took.
type wrkResult struct {
	rate     float64 // requests per second
	p50, p99 time.Duration
	total    int64         // requests over the whole run
	cpu      time.Duration // wrk's user and system time
}

// wrkLoad runs wrk for dur against addr (a thread per client CPU of a
// pinned set-up, pinned to them; a thread per loop unpinned otherwise).
func wrkLoad(addr string, w workload, s setup, dur time.Duration, script string) (res wrkResult, err error) {
	threads := s.loops
	if s.pinned() {
		threads = len(s.clientCPUs)
	}
	argv := []string{"wrk", "-t", strconv.Itoa(threads), "-c", strconv.Itoa(w.conns),
		"-d", fmt.Sprintf("%.0fs", dur.Seconds()), "--latency"}
	if w.depth > 1 {
		argv = append(argv, "-s", script)
	}
	argv = append(argv, "http://"+addr+"/")
	if w.depth > 1 {
		argv = append(argv, "--", strconv.Itoa(w.depth))
	}
	if s.pinned() {
		argv = append([]string{"taskset", "-c", cpuList(s.clientCPUs)}, argv...)
	}
	// taskset execs wrk in its own process, so the process's times are wrk's.
	cmd := exec.Command(argv[0], argv[1:]...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	res, _, err = parseWrk(out)
	if err != nil {
		return wrkResult{}, err
	}
	res.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return res, nil
}

// parseWrk reads wrk --latency's report: the rate, the requests, p50 and
// p99, and the socket errors (connect, read, write and timeout together;
// a failed TLS handshake is a read or write error to wrk). Non-2xx answers
// are an error.
func parseWrk(out []byte) (res wrkResult, sockErrs int64, err error) {
	m := wrkRate.FindSubmatch(out)
	if m == nil {
		return wrkResult{}, 0, fmt.Errorf("wrk: no rate in\n%s", out)
	}
	res.rate, _ = strconv.ParseFloat(string(m[1]), 64)
	if m := wrkTotal.FindSubmatch(out); m != nil {
		res.total, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 || !wrkLat.MatchString(f[0]) {
			continue
		}
		d, _ := time.ParseDuration(f[1]) // 2.12ms, 656.00us, 1.02s
		if f[0] == "50%" {
			res.p50 = d
		} else {
			res.p99 = d
		}
	}
	if m := wrkSockErrs.FindSubmatch(out); m != nil {
		for _, x := range m[1:] {
			n, _ := strconv.ParseInt(string(x), 10, 64)
			sockErrs += n
		}
	}
	if bad := wrkNon2xx.FindSubmatch(out); bad != nil {
		return res, sockErrs, fmt.Errorf("wrk: %s non-2xx responses", bad[1])
	}
	return res, sockErrs, nil
}
