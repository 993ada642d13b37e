//go:build linux

package main

import (
	"cmp"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// sample is one timed run of one server.
type sample struct {
	rate     float64       // messages or requests per second
	cpuPer   time.Duration // server CPU time per message or request
	p50, p99 time.Duration // per request: wrk's, or the echo client's per message
	sysPer   float64       // system calls per op (the counted run only)
	sysCalls string        // the most frequent calls per op (the counted run only)
	loadPer  time.Duration // the load generator's CPU time per op: wrk's, or this process's echo client
	upPer    time.Duration // the upstream's CPU time per op (proxy churn only)
}

// key names a server under a workload in a set-up.
type key struct{ setup, workload, impl string }

// runMain is the "run" subcommand: every workload of every set-up, servers
// alternating within each round, then the report.
func runMain(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	dur := fs.Duration("dur", 3*time.Second, "timed length of each run")
	rounds := fs.Int("rounds", 3, "alternating rounds")
	setupList := fs.String("setup", "percore,machine", "set-ups: percore, machine, scaleN (N loops on N CPUs, the load on up to N others)")
	only := fs.String("only", "", "run only workloads whose name contains this")
	impls := fs.String("impls", "", "comma-separated servers to run (default all; sockloop is always run)")
	limitDir := fs.String("limit", "../limit", "bench/limit sources")
	script := fs.String("script", "../../scripts/pipeline.lua", "wrk pipeline script")
	outDir := fs.String("out", "../results", "where the report goes")
	port := fs.Int("port", 19100, "first port; each server start takes the next")
	note := fs.String("note", "", "a line for the report's header (the machine's state)")
	sysDur := fs.Duration("sysdur", 2*time.Second, "after the rounds, runs of this length with each server's system calls counted by perf stat (0: none)")
	sysRounds := fs.Int("sysrounds", 3, "alternating rounds of the counted runs (a single run's count varies by 2x and more)")
	fs.Parse(args)
	if *sysDur > 0 {
		if _, err := exec.LookPath("perf"); err != nil {
			return fmt.Errorf("no perf for counting system calls (apt-get install linux-perf, or -sysdur 0): %v", err)
		}
	}

	source := sockloopSource() // read at the start: the library may change during a run
	cdir, err := buildLimit(*limitDir)
	if err != nil {
		return err
	}
	defer os.RemoveAll(cdir)
	if *script, err = filepath.Abs(*script); err != nil {
		return err
	}
	var chosen []setup
	for _, sn := range strings.Split(*setupList, ",") {
		s, err := lookupSetup(sn, runtime.NumCPU())
		if err != nil {
			return err
		}
		chosen = append(chosen, s)
	}
	res := map[key][]sample{}
	sys := map[key][]sample{} // the runs counted by perf
	var order []key
	for _, s := range chosen {
		for _, w := range workloads {
			if !strings.Contains(w.name, *only) {
				continue
			}
			list := pick(implsFor(w), *impls, w.serves)
			for _, impl := range list {
				order = append(order, key{s.name, w.name, impl})
			}
			for r := range *rounds {
				for i := range list {
					impl := list[(i+r)%len(list)] // rotate the start each round
					addr := fmt.Sprintf("127.0.0.1:%d", *port)
					*port++
					smp, err := measure(impl, w, s, addr, cdir, *script, *dur, false)
					if err != nil {
						fmt.Fprintf(os.Stderr, "%s / %s / %s round %d: %v\n", s.name, w.name, impl, r, err)
						smp = sample{}
					}
					fmt.Fprintf(os.Stderr, "%-8s %-26s %-9s r%d %12.0f/s  cpu %7.0f ns/op  p50 %v p99 %v\n",
						s.name, w.name, impl, r, smp.rate, float64(smp.cpuPer.Nanoseconds()), smp.p50, smp.p99)
					k := key{s.name, w.name, impl}
					res[k] = append(res[k], smp)
				}
			}
			if *sysDur <= 0 {
				continue
			}
			// Separate runs, so that perf's own cost stays out of the timed
			// rounds, alternating as they do: how many events one wait
			// returns, and with it the waits per op, moves with the
			// machine's speed from one run to the next.
			for r := range max(*sysRounds, 1) {
				for i := range list {
					impl := list[(i+r)%len(list)]
					addr := fmt.Sprintf("127.0.0.1:%d", *port)
					*port++
					smp, err := measure(impl, w, s, addr, cdir, *script, *sysDur, true)
					if err != nil {
						fmt.Fprintf(os.Stderr, "%s / %s / %s syscalls: %v\n", s.name, w.name, impl, err)
						continue
					}
					fmt.Fprintf(os.Stderr, "%-8s %-26s %-9s sys%d %.2f/op: %s\n", s.name, w.name, impl, r, smp.sysPer, smp.sysCalls)
					k := key{s.name, w.name, impl}
					sys[k] = append(sys[k], smp)
				}
			}
		}
	}
	return writeReport(*outDir, order, res, sys, meta{dur: *dur, rounds: *rounds, note: *note, source: source})
}

// variants are servers that run only when -impls names them, each after
// the server it varies: sockloop's io_uring backend with one feature off,
// echo servers that answer from the worker pool, and net/http's Server on
// the loops (through loop/netconn) and on package net. A variant runs only
// in workloads with a server of that name.
var variants = map[string][]string{
	"sockloop":       {"sockloop-pool", "sockloop-uring-pool", "sockloop-uring-raw-pool", "sockloop-nethttp", "nethttp"},
	"sockloop-uring": {"sockloop-uring-poll", "sockloop-uring-coop", "sockloop-uring-raw", "sockloop-uring-nethttp"},
}

// pick filters the servers of a workload by the -impls flag; has tells
// whether the workload has a server of that name.
func pick(all []string, want string, has func(string) bool) []string {
	if want == "" {
		return all
	}
	var candidates []string
	for _, impl := range all {
		candidates = append(candidates, impl)
		for _, v := range variants[impl] {
			if has(v) {
				candidates = append(candidates, v)
			}
		}
	}
	var out []string
	for _, impl := range candidates {
		if impl == "sockloop" || strings.Contains(","+want+",", ","+impl+",") {
			out = append(out, impl)
		}
	}
	return out
}

// measure starts one server, loads it for dur and stops it. With count, its
// system calls over the load are counted by perf stat.
func measure(impl string, w workload, s setup, addr, cdir, script string, dur time.Duration, count bool) (smp sample, err error) {
	srv, err := startServer(impl, w, s, addr, cdir)
	if err != nil {
		return sample{}, err
	}
	defer srv.stop()
	var cpu, self [2]time.Duration
	var counter *sysCounter
	var perfErr error
	n := 0
	mark := func() {
		if count && n == 0 {
			counter, perfErr = countSyscalls(srv.cmd.Process.Pid)
		}
		cpu[n], _ = srv.cpu()
		self[n] = selfCPU()
		n++
	}
	var ops float64
	if w.http {
		mark()
		if perfErr != nil {
			return sample{}, perfErr
		}
		start := time.Now()
		var res wrkResult
		res, err = wrkLoad(addr, w, s, dur, script)
		took := time.Since(start)
		mark()
		smp.rate, smp.p50, smp.p99 = res.rate, res.p50, res.p99
		// wrk's rate excludes its connect and exit; CPU is spread over
		// the whole wrk run, so count requests over that span.
		if err == nil && smp.rate > 0 {
			span := smp.rate * min(took.Seconds(), dur.Seconds())
			smp.cpuPer = time.Duration(float64(cpu[1]-cpu[0]) / span)
			smp.loadPer = time.Duration(float64(res.cpu) / span)
		}
		ops = float64(res.total)
	} else {
		var msgs int
		var took time.Duration
		msgs, took, smp.p50, smp.p99, err = echoLoad(addr, w, s.clientCPUs, dur, mark)
		if err == nil {
			smp.rate = float64(msgs) / took.Seconds()
			smp.cpuPer = (cpu[1] - cpu[0]) / time.Duration(msgs)
			smp.loadPer = (self[1] - self[0]) / time.Duration(msgs)
			ops = float64(msgs)
		}
	}
	err = cmp.Or(err, perfErr)
	if counter != nil {
		total, byName, cerr := counter.stop()
		if err == nil && cerr == nil && ops > 0 {
			smp.sysPer, smp.sysCalls = float64(total)/ops, sysDetail(byName, ops)
		}
		err = cmp.Or(err, cerr)
	}
	if err != nil {
		return sample{}, err
	}
	return smp, nil
}
