//go:build linux

package main

import (
	"bufio"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sockloop/sockloop/bench"
)

// The "idle" subcommand: resident memory per idle connection. Each server
// (per-core set-up: pinned, GOMAXPROCS=1, one loop) gets -conns connections
// from bench's client, each of which sends one 64-byte message and reads its
// echo, then stays open and quiet. After -settle the server's VmRSS is read
// from /proc; the cost per connection is (that - VmRSS before the dial) /
// conns. Servers alternate over rounds; the ratios are to gnet.

// idleSample is one server's memory in one round.
type idleSample struct {
	before, after int64 // VmRSS in KiB
	conns         int
}

func (s idleSample) perConn() float64 {
	if s.conns == 0 {
		return 0
	}
	return float64(s.after-s.before) * 1024 / float64(s.conns)
}

func idleMain(args []string) error {
	fs := flag.NewFlagSet("idle", flag.ExitOnError)
	rounds := fs.Int("rounds", 3, "alternating rounds")
	conns := fs.Int("conns", 10000, "idle connections (each costs this process and the server a descriptor)")
	settle := fs.Duration("settle", 3*time.Second, "quiet time before RSS is read")
	impls := fs.String("impls", "gnet,sockloop,sockloop-uring", "servers (gnet is the baseline)")
	outDir := fs.String("out", "../results", "where the report goes")
	port := fs.Int("port", 19700, "first port; each server start takes the next")
	note := fs.String("note", "", "a line for the report's header (the machine's state)")
	limitDir := fs.String("limit", "../limit", "bench/limit sources (for -impls c)")
	profDir := fs.String("profile", "", "write each Go server's heap profile (live objects, idle) into this directory as idle-<impl>.pprof")
	fs.Parse(args)
	source := sockloopSource()
	list := strings.Split(*impls, ",")
	cdir := ""
	if slices.Contains(list, "c") {
		var err error
		if cdir, err = buildLimit(*limitDir); err != nil {
			return err
		}
		defer os.RemoveAll(cdir)
	}
	s, err := lookupSetup("percore", 2)
	if err != nil {
		return err
	}
	w := workload{name: "idle", conns: *conns, size: 64, depth: 1}
	res := map[string][]idleSample{}
	for r := range *rounds {
		for i := range list {
			impl := list[(i+r)%len(list)]
			addr := fmt.Sprintf("127.0.0.1:%d", *port)
			*port++
			smp, err := idleRun(impl, w, s, addr, cdir, *settle, *profDir)
			if err != nil {
				fmt.Fprintf(os.Stderr, "idle %s round %d: %v\n", impl, r, err)
			}
			fmt.Fprintf(os.Stderr, "idle %-14s r%d VmRSS %d -> %d KiB, %.0f B/conn\n", impl, r, smp.before, smp.after, smp.perConn())
			res[impl] = append(res[impl], smp)
		}
	}
	return writeIdleReport(*outDir, list, res, *rounds, *conns, *settle, *note, source)
}

// idleRun starts one server, opens the idle connections, reads its RSS and
// stops it.
func idleRun(impl string, w workload, s setup, addr, cdir string, settle time.Duration, profDir string) (idleSample, error) {
	var extra []string
	prof := ""
	if profDir != "" && impl != "c" {
		prof, _ = filepath.Abs(filepath.Join(profDir, "idle-"+impl+".pprof"))
		extra = []string{"-memprofile", prof}
	}
	srv, err := startServer(impl, w, s, addr, cdir, extra...)
	if err != nil {
		return idleSample{}, err
	}
	defer srv.stop()
	time.Sleep(500 * time.Millisecond) // let start-up finish
	var smp idleSample
	if smp.before, err = vmRSS(srv.cmd.Process.Pid); err != nil {
		return idleSample{}, err
	}
	c, err := bench.Dial(netip.MustParseAddrPort(addr), w.conns, w.size, 1)
	if err != nil {
		return idleSample{}, err
	}
	defer c.Close()
	// With depth 1 and a budget of one message per connection, each
	// connection sends exactly one.
	if err := c.Run(w.conns); err != nil {
		return idleSample{}, err
	}
	time.Sleep(settle)
	if smp.after, err = vmRSS(srv.cmd.Process.Pid); err != nil {
		return idleSample{}, err
	}
	smp.conns = w.conns
	if prof != "" {
		// After RSS is read: the profile's collection changes it.
		srv.cmd.Process.Signal(syscall.SIGUSR1)
		time.Sleep(time.Second)
	}
	return smp, nil
}

// vmRSS returns a process's resident set size in KiB.
func vmRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// writeIdleReport writes idle-<stamp>.md with the raw samples as CSV.
func writeIdleReport(dir string, list []string, res map[string][]idleSample, rounds, conns int, settle time.Duration, note, source string) error {
	stamp := time.Now().UTC().Format("2006-01-02-1504")
	var csv, b strings.Builder
	csv.WriteString("impl,round,rss_before_kib,rss_after_kib,conns\n")
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Fprintf(&b, "# Idle memory per connection, %s UTC\n\n", stamp)
	fmt.Fprintf(&b, "Raw samples: [idle-%s.csv](idle-%s.csv). Load average at the end: %s.\n\n", stamp, stamp, strings.TrimSpace(string(load)))
	fmt.Fprintf(&b, "sockloop: %s\n\n", source)
	if note != "" {
		fmt.Fprintf(&b, "**%s**\n\n", note)
	}
	fmt.Fprintf(&b, "%d connections to each echo server (pinned to CPU 0, GOMAXPROCS=1, one loop), each sending one 64-byte message "+
		"and reading its echo, then quiet for %v; per connection: (VmRSS after - VmRSS before the dial) / %d. "+
		"%d rounds, servers alternating; ratios are the median of the per-round ratios to gnet, with the lowest and highest in brackets.\n\n",
		conns, settle, conns, rounds)
	b.WriteString("| server | VmRSS before (KiB) | VmRSS after (KiB) | bytes per connection | vs gnet |\n|---|---:|---:|---:|---|\n")
	base := res["gnet"]
	for _, impl := range list {
		var before, after, per, rr []float64
		for i, x := range res[impl] {
			fmt.Fprintf(&csv, "%s,%d,%d,%d,%d\n", impl, i, x.before, x.after, x.conns)
			if x.conns == 0 {
				continue
			}
			before, after, per = append(before, float64(x.before)), append(after, float64(x.after)), append(per, x.perConn())
			if i < len(base) && base[i].perConn() > 0 {
				rr = append(rr, x.perConn()/base[i].perConn())
			}
		}
		fmt.Fprintf(&b, "| %s | %.0f | %.0f | %.0f | %s |\n", impl, median(before), median(after), median(per), spread(rr))
	}
	b.WriteString("\n")
	if err := os.WriteFile(filepath.Join(dir, "idle-"+stamp+".csv"), []byte(csv.String()), 0o644); err != nil {
		return err
	}
	name := filepath.Join(dir, "idle-"+stamp+".md")
	if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "wrote", name)
	return nil
}
