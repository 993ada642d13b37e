//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// writeReport writes compare-<date>.md and one SVG chart per set-up into dir.
// meta is what a report says about its run besides the samples.
type meta struct {
	dur          time.Duration
	rounds       int
	note, source string
	load         string // /proc/loadavg at the end of the run
	// prefix names the files (default "compare"), base the server every
	// ratio is against (default "sockloop"); intro, where set, replaces
	// the paragraph on what the columns are, and tail is written after
	// the tables.
	prefix, base string
	intro        string
	tail         func(*strings.Builder)
}

// defaults fills in the prefix and baseline of the compare run.
func (m meta) defaults() meta {
	if m.prefix == "" {
		m.prefix = "compare"
	}
	if m.base == "" {
		m.base = "sockloop"
	}
	return m
}

func writeReport(dir string, order []key, res map[key][]sample, sys map[key][]sample, m meta) error {
	stamp := time.Now().UTC().Format("2006-01-02-1504")
	m = m.defaults()
	if err := writeCSV(filepath.Join(dir, m.prefix+"-"+stamp+".csv"), order, res, sys); err != nil {
		return err
	}
	load, _ := os.ReadFile("/proc/loadavg")
	m.load = strings.TrimSpace(string(load))
	return renderReport(dir, stamp, order, res, sys, m)
}

// renderReport writes the markdown report and the charts of one run.
func renderReport(dir, stamp string, order []key, res map[key][]sample, sys map[key][]sample, m meta) error {
	m = m.defaults()
	var b strings.Builder
	host, _ := os.Hostname()
	title := "bench/compare"
	if m.prefix != "compare" {
		title += " " + m.prefix
	}
	fmt.Fprintf(&b, "# %s, %s UTC\n\nRaw samples: [%s-%s.csv](%s-%s.csv).\n\n", title, stamp, m.prefix, stamp, m.prefix, stamp)
	fmt.Fprintf(&b, "%d CPUs, %s, host %s", runtime.NumCPU(), runtime.Version(), host)
	if m.load != "" {
		fmt.Fprintf(&b, ", load average at the end: %s", m.load)
	}
	b.WriteString("\n\n")
	if m.source != "" {
		fmt.Fprintf(&b, "sockloop: %s\n\n", m.source)
	}
	if m.note != "" {
		fmt.Fprintf(&b, "**%s**\n\n", m.note)
	}
	fmt.Fprintf(&b, "%v per run, %d rounds, servers alternating (the start rotates each round). ", m.dur, m.rounds)
	fmt.Fprintf(&b, "Ratios are the median of the per-round ratios against %s in the same round, with the lowest and highest in brackets. ", m.base)
	fmt.Fprintf(&b, "Throughput ratio > 1: the server is faster than %s; CPU ratio > 1: it spends more server CPU per message (utime+stime from /proc/PID/stat, 10 ms ticks). ", m.base)
	if m.intro != "" {
		b.WriteString(m.intro + "\n\n")
	} else {
		b.WriteString("busy: the CPUs the server kept busy in the timed part (rate times CPU per op), median over the rounds; per core, a server under about 0.95 waited for the client, which then set the pace, so its rate measures the client as much as the server. ")
		b.WriteString("load CPU ns/op: the load generator's own CPU time per op (wrk's, or the echo client's), median over the rounds; where it shares the CPUs with the server (the machine set-up), the rate is about the CPUs there are over the sum of the two, so a server's lead is bounded by what the load costs. ")
		b.WriteString("p50/p99: medians over the rounds of each run's latency per request; echo's from bench's client (a batch's round trip, from its write to its last byte back, for each of its messages), HTTP's from wrk.\n\n")
	}
	var setupsSeen []string
	for _, k := range order {
		if !slices.Contains(setupsSeen, k.setup) {
			setupsSeen = append(setupsSeen, k.setup)
		}
	}
	for _, sn := range setupsSeen {
		// The report may be rendered on another machine: describe the
		// set-up as it is laid out on one with CPUs enough for it.
		s, err := lookupSetup(sn, 1<<16)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "## %s: %s\n\n", sn, s.describe())
		fmt.Fprintf(&b, "| workload | server | median rate /s | rate vs %s | server CPU ns/op | CPU vs %s | busy | load CPU ns/op | p50 | p99 | syscalls/op |\n", m.base, m.base)
		b.WriteString("|---|---|---:|---|---:|---|---:|---:|---:|---:|---:|\n")
		var bars, cpuBars []bar
		for _, k := range order {
			if k.setup != sn {
				continue
			}
			xs, base := res[k], res[key{k.setup, k.workload, m.base}]
			rr, cr := ratios(xs, base, rateOf), ratios(xs, base, cpuOf)
			var rates []float64 // of the runs that worked
			for _, x := range xs {
				if x.rate > 0 {
					rates = append(rates, x.rate)
				}
			}
			lat := func(f func(sample) time.Duration) string {
				if d := medianDur(xs, f); d > 0 {
					return d.Round(10 * time.Microsecond).String()
				}
				return "-"
			}
			sysPer := "-"
			if c, ok := medianSys(sys[k]); ok {
				sysPer = fmt.Sprintf("%.2f", c.sysPer)
			}
			var busy []float64
			for _, x := range xs {
				if b := busyOf(x); b > 0 {
					busy = append(busy, b)
				}
			}
			load := "-" // files from before the load was measured
			if d := medianDur(xs, func(s sample) time.Duration { return s.loadPer }); d > 0 {
				load = fmt.Sprintf("%.0f", float64(d))
			}
			fmt.Fprintf(&b, "| %s | %s | %.0f | %s | %.0f | %s | %.2f | %s | %s | %s | %s |\n", k.workload, k.impl, median(rates),
				spread(rr), float64(medianDur(xs, func(s sample) time.Duration { return s.cpuPer })), spread(cr), median(busy), load,
				lat(func(s sample) time.Duration { return s.p50 }), lat(func(s sample) time.Duration { return s.p99 }), sysPer)
			bars = append(bars, bar{group: k.workload, label: k.impl, value: median(rr)})
			cpuBars = append(cpuBars, bar{group: k.workload, label: k.impl, value: median(cr)})
		}
		b.WriteString("\n")
		sysCalls(&b, sn, order, sys)
		floor(&b, sn, order, res)
		for _, c := range []struct {
			suffix, title string
			bars          []bar
		}{
			{"", "throughput vs " + m.base + ", " + sn + " (median of per-round ratios; higher: faster than " + m.base + ")", bars},
			{"-cpu", "server CPU per op vs " + m.base + ", " + sn + " (lower: cheaper than " + m.base + ")", cpuBars},
		} {
			svg := fmt.Sprintf("%s-%s-%s%s.svg", m.prefix, stamp, sn, c.suffix)
			if err := os.WriteFile(filepath.Join(dir, svg), []byte(chart(c.title, c.bars)), 0o644); err != nil {
				return err
			}
			fmt.Fprintf(&b, "![%s%s](%s)\n\n", sn, c.suffix, svg)
		}
	}
	if err := scaling(&b, dir, stamp, order, res); err != nil {
		return err
	}
	if m.tail != nil {
		m.tail(&b)
	}
	name := filepath.Join(dir, m.prefix+"-"+stamp+".md")
	if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "wrote", name)
	return nil
}

// floor writes how close sockloop is to the C floor per workload.
func floor(b *strings.Builder, sn string, order []key, res map[key][]sample) {
	first := true
	for _, k := range order {
		if k.setup != sn || k.impl != "c" {
			continue
		}
		if first {
			b.WriteString("sockloop against the C floor (throughput sockloop / C, CPU per op sockloop / C):\n\n")
			first = false
		}
		base, c := res[key{sn, k.workload, "sockloop"}], res[k]
		fmt.Fprintf(b, "- %s: throughput %s, CPU %s\n", k.workload, spread(ratios(base, c, rateOf)), spread(ratios(base, c, cpuOf)))
	}
	if !first {
		b.WriteString("\n")
	}
}

// sysCalls lists the system calls per op of each server: the median of its
// counted runs with their range, and the calls by name in the median run.
func sysCalls(b *strings.Builder, sn string, order []key, sys map[key][]sample) {
	first := true
	for _, k := range order {
		c, ok := medianSys(sys[k])
		if k.setup != sn || !ok {
			continue
		}
		if first {
			b.WriteString("System calls per op (extra runs, servers alternating, each under `perf stat -e raw_syscalls:sys_enter -p PID`, with the hot-path calls also counted by name; calls made at least once per 100 ops; median of the runs, range in brackets, names from the median run):\n\n")
			first = false
		}
		lo, hi := c.sysPer, c.sysPer
		for _, x := range sys[k] {
			if x.sysPer > 0 {
				lo, hi = min(lo, x.sysPer), max(hi, x.sysPer)
			}
		}
		fmt.Fprintf(b, "- %s, %s: %.2f [%.2f..%.2f] (%s)\n", k.workload, k.impl, c.sysPer, lo, hi, c.sysCalls)
	}
	if !first {
		b.WriteString("\n")
	}
}

// spread formats the median of rs with its range.
func spread(rs []float64) string {
	if len(rs) == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f [%.2f..%.2f]", median(rs), slices.Min(rs), slices.Max(rs))
}
