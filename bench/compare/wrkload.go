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
)

// wrkLoad runs wrk for dur against addr (a thread per client CPU of a
// pinned set-up, pinned to them; a thread per loop unpinned otherwise) and returns requests
// per second, the p50 and p99 latencies and the count of requests it reports.
func wrkLoad(addr string, w workload, s setup, dur time.Duration, script string) (rate float64, p50, p99 time.Duration, total int64, err error) {
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
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		return 0, 0, 0, 0, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	m := wrkRate.FindSubmatch(out)
	if m == nil {
		return 0, 0, 0, 0, fmt.Errorf("wrk: no rate in\n%s", out)
	}
	rate, _ = strconv.ParseFloat(string(m[1]), 64)
	if m := wrkTotal.FindSubmatch(out); m != nil {
		total, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 || !wrkLat.MatchString(f[0]) {
			continue
		}
		// wrk prints 2.12ms, 656.00us or 1.02s; Go parses all three.
		d, _ := time.ParseDuration(f[1])
		if f[0] == "50%" {
			p50 = d
		} else {
			p99 = d
		}
	}
	if bad := regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`).FindSubmatch(out); bad != nil {
		return 0, 0, 0, 0, fmt.Errorf("wrk: %s non-2xx responses", bad[1])
	}
	return rate, p50, p99, total, nil
}
