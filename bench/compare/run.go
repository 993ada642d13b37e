//go:build linux

package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// sample is one timed run of one server.
type sample struct {
	rate     float64       // messages or requests per second
	cpuPer   time.Duration // server CPU time per message or request
	p50, p99 time.Duration // per request: wrk's, or the echo client's per message
}

// key names a server under a workload in a set-up.
type key struct{ setup, workload, impl string }

// runMain is the "run" subcommand: every workload of every set-up, servers
// alternating within each round, then the report.
func runMain(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	dur := fs.Duration("dur", 3*time.Second, "timed length of each run")
	rounds := fs.Int("rounds", 3, "alternating rounds")
	setupList := fs.String("setup", "percore,machine", "set-ups: percore, machine")
	only := fs.String("only", "", "run only workloads whose name contains this")
	impls := fs.String("impls", "", "comma-separated servers to run (default all; sockloop is always run)")
	limitDir := fs.String("limit", "../limit", "bench/limit sources")
	script := fs.String("script", "../../scripts/pipeline.lua", "wrk pipeline script")
	outDir := fs.String("out", "../results", "where the report goes")
	port := fs.Int("port", 19100, "first port; each server start takes the next")
	note := fs.String("note", "", "a line for the report's header (the machine's state)")
	fs.Parse(args)

	source := sockloopSource() // read at the start: the library may change during a run
	cdir, err := buildLimit(*limitDir)
	if err != nil {
		return err
	}
	defer os.RemoveAll(cdir)
	if *script, err = filepath.Abs(*script); err != nil {
		return err
	}
	res := map[key][]sample{}
	var order []key
	for _, sn := range strings.Split(*setupList, ",") {
		s, ok := setups[sn]
		if !ok {
			return fmt.Errorf("no set-up %q", sn)
		}
		for _, w := range workloads {
			if !strings.Contains(w.name, *only) {
				continue
			}
			list := pick(implsFor(w), *impls)
			for _, impl := range list {
				order = append(order, key{s.name, w.name, impl})
			}
			for r := range *rounds {
				for i := range list {
					impl := list[(i+r)%len(list)] // rotate the start each round
					addr := fmt.Sprintf("127.0.0.1:%d", *port)
					*port++
					smp, err := measure(impl, w, s, addr, cdir, *script, *dur)
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
		}
	}
	return writeReport(*outDir, order, res, meta{dur: *dur, rounds: *rounds, note: *note, source: source})
}

// pick filters the servers of a workload by the -impls flag.
func pick(all []string, want string) []string {
	if want == "" {
		return all
	}
	var out []string
	for _, impl := range all {
		if impl == "sockloop" || strings.Contains(","+want+",", ","+impl+",") {
			out = append(out, impl)
		}
	}
	return out
}

// measure starts one server, loads it for dur and stops it.
func measure(impl string, w workload, s setup, addr, cdir, script string, dur time.Duration) (sample, error) {
	srv, err := startServer(impl, w, s, addr, cdir)
	if err != nil {
		return sample{}, err
	}
	defer srv.stop()
	var cpu [2]time.Duration
	n := 0
	mark := func() {
		cpu[n], _ = srv.cpu()
		n++
	}
	var smp sample
	if w.http {
		mark()
		start := time.Now()
		smp.rate, smp.p50, smp.p99, err = wrkLoad(addr, w, s, dur, script)
		took := time.Since(start)
		mark()
		// wrk's rate excludes its connect and exit; CPU is spread over
		// the whole wrk run, so count requests over that span.
		if err == nil && smp.rate > 0 {
			smp.cpuPer = time.Duration(float64(cpu[1]-cpu[0]) / (smp.rate * min(took.Seconds(), dur.Seconds())))
		}
		return smp, err
	}
	msgs, took, p50, p99, err := echoLoad(addr, w, s.pin, dur, mark)
	if err != nil {
		return sample{}, err
	}
	smp.p50, smp.p99 = p50, p99
	smp.rate = float64(msgs) / took.Seconds()
	smp.cpuPer = (cpu[1] - cpu[0]) / time.Duration(msgs)
	return smp, nil
}
