//go:build linux

package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The "redis" subcommand: examples/redis (on epoll and on io_uring) against
// redis-server under redis-benchmark -t set,get -c 100, with -P 16 and
// without, alternating servers over rounds. Per core as the echo set-up:
// each server under taskset -c 0 (the Go ones with GOMAXPROCS=1 and one
// loop; redis-server is single-threaded anyway), redis-benchmark under
// taskset -c 1.

// redisImpls are the servers, the baseline of the ratios first.
var redisImpls = []string{"redis-server", "sockloop", "sockloop-uring"}

// redisSample is one redis-benchmark run of one command against one server.
type redisSample struct {
	rate   float64       // requests per second
	p50    time.Duration // redis-benchmark's
	cpuPer time.Duration // server CPU per request over the whole run (both commands)
	// The CPUs the server and redis-benchmark kept busy over the whole run:
	// one near 1 while the other is not sets the pace.
	srvBusy, cliBusy float64
}

// redisKey names a server under one command and pipeline depth.
type redisKey struct {
	pipeline int
	cmd      string
	impl     string
}

var redisLine = regexp.MustCompile(`^(SET|GET): ([0-9.]+) requests per second, p50=([0-9.]+) msec`)

func redisMain(args []string) error {
	fs := flag.NewFlagSet("redis", flag.ExitOnError)
	rounds := fs.Int("rounds", 3, "alternating rounds")
	n := fs.Int("n", 200000, "requests per command without pipelining")
	np := fs.Int("np", 2000000, "requests per command with -P 16")
	impls := fs.String("impls", strings.Join(redisImpls, ","), "servers (redis-server is the baseline)")
	src := fs.String("src", "../../examples/redis", "examples/redis sources")
	outDir := fs.String("out", "../results", "where the report goes")
	port := fs.Int("port", 19400, "first port; each server start takes the next")
	note := fs.String("note", "", "a line for the report's header (the machine's state)")
	fs.Parse(args)
	for _, tool := range []string{"redis-server", "redis-benchmark", "taskset"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s: %v (apt-get install -y redis-server util-linux)", tool, err)
		}
	}
	source := sockloopSource()
	dir, err := os.MkdirTemp("", "compare-redis-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "redis")
	if out, err := exec.Command("go", "build", "-o", bin, *src).CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", *src, err, out)
	}
	list := strings.Split(*impls, ",")
	res := map[redisKey][]redisSample{}
	for r := range *rounds {
		for _, pipeline := range []int{1, 16} {
			for i := range list {
				impl := list[(i+r)%len(list)]
				addr := fmt.Sprintf("127.0.0.1:%d", *port)
				*port++
				count := *n
				if pipeline > 1 {
					count = *np
				}
				got, err := redisRun(impl, bin, addr, pipeline, count)
				if err != nil {
					fmt.Fprintf(os.Stderr, "redis -P %d %s round %d: %v\n", pipeline, impl, r, err)
				}
				for _, cmd := range []string{"SET", "GET"} {
					s := got[cmd]
					fmt.Fprintf(os.Stderr, "redis -P %-2d %s %-14s r%d %10.0f/s p50 %v cpu %v/req\n", pipeline, cmd, impl, r, s.rate, s.p50, s.cpuPer)
					k := redisKey{pipeline, cmd, impl}
					res[k] = append(res[k], s)
				}
			}
		}
	}
	return writeRedisReport(*outDir, list, res, *rounds, *n, *np, *note, source)
}

// redisRun starts one server, runs redis-benchmark against it and stops it.
func redisRun(impl, bin, addr string, pipeline, n int) (map[string]redisSample, error) {
	host, port, _ := strings.Cut(addr, ":")
	var argv []string
	switch impl {
	case "redis-server":
		argv = []string{"redis-server", "--bind", host, "--port", port, "--save", "", "--appendonly", "no",
			"--daemonize", "no", "--loglevel", "warning"}
	case "sockloop":
		argv = []string{bin, "-addr", addr, "-loops", "1", "-backend", "epoll"}
	case "sockloop-uring":
		argv = []string{bin, "-addr", addr, "-loops", "1", "-backend", "io_uring"}
	default:
		return nil, fmt.Errorf("no redis server %q", impl)
	}
	srv, err := startProc(impl, argv, []int{0}, addr)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	bargs := []string{"-c", "1", "redis-benchmark", "-h", host, "-p", port, "-t", "set,get", "-c", "100",
		"-n", strconv.Itoa(n), "-q"}
	if pipeline > 1 {
		bargs = append(bargs, "-P", strconv.Itoa(pipeline))
	}
	cpu0, _ := srv.cpu()
	start := time.Now()
	bench := exec.Command("taskset", bargs...) // taskset execs redis-benchmark: the times are its
	out, err := bench.CombinedOutput()
	wall := time.Since(start)
	cpu1, _ := srv.cpu()
	if err != nil {
		return nil, fmt.Errorf("redis-benchmark: %v\n%s", err, out)
	}
	got := map[string]redisSample{}
	for _, line := range strings.FieldsFunc(string(out), func(r rune) bool { return r == '\r' || r == '\n' }) {
		m := redisLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		rate, _ := strconv.ParseFloat(m[2], 64)
		p50, _ := strconv.ParseFloat(m[3], 64)
		got[m[1]] = redisSample{rate: rate, p50: time.Duration(p50 * float64(time.Millisecond))}
	}
	if len(got) != 2 {
		return nil, fmt.Errorf("redis-benchmark: no SET and GET results in\n%s", out)
	}
	per := (cpu1 - cpu0) / time.Duration(2*n)
	srvBusy := (cpu1 - cpu0).Seconds() / wall.Seconds()
	cliBusy := (bench.ProcessState.UserTime() + bench.ProcessState.SystemTime()).Seconds() / wall.Seconds()
	for k, s := range got {
		s.cpuPer, s.srvBusy, s.cliBusy = per, srvBusy, cliBusy
		got[k] = s
	}
	return got, nil
}

// writeRedisReport writes redis-<stamp>.md and its raw samples as CSV.
func writeRedisReport(dir string, list []string, res map[redisKey][]redisSample, rounds, n, np int, note, source string) error {
	stamp := time.Now().UTC().Format("2006-01-02-1504")
	var csv strings.Builder
	csv.WriteString("pipeline,cmd,impl,round,rate,p50_ns,cpu_ns,server_busy,client_busy\n")
	var b strings.Builder
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Fprintf(&b, "# redis-benchmark: examples/redis against redis-server, %s UTC\n\n", stamp)
	fmt.Fprintf(&b, "Raw samples: [redis-%s.csv](redis-%s.csv). Load average at the end: %s.\n\n", stamp, stamp, strings.TrimSpace(string(load)))
	fmt.Fprintf(&b, "sockloop: %s\n\n", source)
	if note != "" {
		fmt.Fprintf(&b, "**%s**\n\n", note)
	}
	fmt.Fprintf(&b, "`redis-benchmark -t set,get -c 100 -q` with -n %d, and with `-P 16 -n %d`, under `taskset -c 1`; "+
		"each server under `taskset -c 0` (examples/redis with GOMAXPROCS=1 and `-loops 1`; redis-server `--save \"\" --appendonly no`). "+
		"%d rounds, servers alternating (the start rotates each round). Ratios are the median of the per-round ratios to redis-server "+
		"in the same round, with the lowest and highest in brackets; rate ratio > 1: faster than redis-server; CPU ratio < 1: cheaper per request "+
		"(server utime+stime from /proc over the whole redis-benchmark run, SET and GET together). "+
		"busy: the CPUs the server and redis-benchmark kept busy over that run, medians; a client near 1 with the server well under it "+
		"sets the pace, and the rates then measure the client.\n\n", n, np, rounds)
	b.WriteString("| pipeline | command | server | median req/s | rate vs redis-server | p50 | server CPU ns/req | CPU vs redis-server | busy server / client |\n")
	b.WriteString("|---|---|---|---:|---|---:|---:|---|---:|\n")
	for _, pipeline := range []int{1, 16} {
		for _, cmd := range []string{"SET", "GET"} {
			base := res[redisKey{pipeline, cmd, "redis-server"}]
			for _, impl := range list {
				xs := res[redisKey{pipeline, cmd, impl}]
				var rates, p50s, cpus, rr, cr, sb, cb []float64
				for i, x := range xs {
					fmt.Fprintf(&csv, "%d,%s,%s,%d,%.2f,%d,%d,%.3f,%.3f\n", pipeline, cmd, impl, i, x.rate, int64(x.p50), int64(x.cpuPer), x.srvBusy, x.cliBusy)
					if x.rate <= 0 {
						continue
					}
					rates, p50s, cpus = append(rates, x.rate), append(p50s, float64(x.p50)), append(cpus, float64(x.cpuPer))
					sb, cb = append(sb, x.srvBusy), append(cb, x.cliBusy)
					if i < len(base) && base[i].rate > 0 {
						rr = append(rr, x.rate/base[i].rate)
						if base[i].cpuPer > 0 && x.cpuPer > 0 {
							cr = append(cr, float64(x.cpuPer)/float64(base[i].cpuPer))
						}
					}
				}
				fmt.Fprintf(&b, "| -P %d | %s | %s | %.0f | %s | %v | %.0f | %s | %.2f / %.2f |\n", pipeline, cmd, impl, median(rates), spread(rr),
					time.Duration(median(p50s)).Round(time.Microsecond), median(cpus), spread(cr), median(sb), median(cb))
			}
		}
	}
	b.WriteString("\n")
	if err := os.WriteFile(filepath.Join(dir, "redis-"+stamp+".csv"), []byte(csv.String()), 0o644); err != nil {
		return err
	}
	name := filepath.Join(dir, "redis-"+stamp+".md")
	if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "wrote", name)
	return nil
}
