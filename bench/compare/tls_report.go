//go:build linux

package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// tlsReport is what the tls subcommand writes: tls-<stamp>.md and the raw
// samples as tls-<stamp>.csv.
type tlsReport struct {
	samples []tlsSample
	o       tlsOpts
	source  string
	machine string
	took    time.Duration
}

// tkey names one server under one workload in one set-up.
type tkey struct{ setup, workload, impl string }

func keyOf(s tlsSample) tkey { return tkey{s.work.setup, s.work.name, s.impl} }

// index groups the samples by key, in the order they first appear, with
// each workload's servers in the order of the run's -impls.
type tlsIndex struct {
	works []tlsWork
	by    map[tkey][]tlsSample
	impls []string
}

func indexSamples(samples []tlsSample, impls []string) tlsIndex {
	ix := tlsIndex{by: map[tkey][]tlsSample{}, impls: impls}
	for _, s := range samples {
		if !slices.ContainsFunc(ix.works, func(w tlsWork) bool { return w.name == s.work.name && w.setup == s.work.setup }) {
			ix.works = append(ix.works, s.work)
		}
		k := keyOf(s)
		ix.by[k] = append(ix.by[k], s)
	}
	return ix
}

// servers lists the servers that ran under w, in -impls order.
func (ix tlsIndex) servers(w tlsWork) []string {
	var out []string
	for _, impl := range ix.impls {
		if _, ok := ix.by[tkey{w.setup, w.name, impl}]; ok {
			out = append(out, impl)
		}
	}
	return out
}

// tlsRatios returns f(a) / f(b) for each round that both ran well and where
// both are positive.
func tlsRatios(a, b []tlsSample, f func(tlsSample) float64) []float64 {
	byRound := map[int]tlsSample{}
	for _, y := range b {
		byRound[y.round] = y
	}
	var out []float64
	for _, x := range a {
		y, ok := byRound[x.round]
		if !ok || !x.ok() || !y.ok() {
			continue
		}
		if fx, fy := f(x), f(y); fx > 0 && fy > 0 {
			out = append(out, fx/fy)
		}
	}
	return out
}

// medianOf is the median of f over the samples that ran well.
func medianOf(xs []tlsSample, f func(tlsSample) float64) float64 {
	var v []float64
	for _, x := range xs {
		if x.ok() {
			v = append(v, f(x))
		}
	}
	return median(v)
}

func tRate(s tlsSample) float64    { return s.rate }
func tCPU(s tlsSample) float64     { return float64(s.cpuPer) }
func tLoad(s tlsSample) float64    { return float64(s.loadPer) }
func tP50(s tlsSample) float64     { return float64(s.p50) }
func tP99(s tlsSample) float64     { return float64(s.p99) }
func tPerConn(s tlsSample) float64 { return s.perConn() }
func tBusy(s tlsSample) float64    { return s.rate * s.cpuPer.Seconds() }

// fmtDur formats a duration median for a table ("-" for none).
func fmtDur(ns float64) string {
	if ns <= 0 {
		return "-"
	}
	d := time.Duration(ns)
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= 10*time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	case d >= 100*time.Microsecond:
		return d.Round(time.Microsecond).String()
	}
	return d.Round(100 * time.Nanosecond).String()
}

// target is one of the targets, a ratio of sockloop's figure to
// another server's.
type target struct {
	label  string
	ratios []float64
	atMost bool // met when the ratio is at most limit (memory); else at least
	limit  float64
}

func (t target) verdict() string {
	if len(t.ratios) == 0 {
		return "not measured"
	}
	m := median(t.ratios)
	met := m >= t.limit
	if t.atMost {
		met = m <= t.limit
	}
	all := true
	for _, r := range t.ratios {
		if t.atMost && r > t.limit || !t.atMost && r < t.limit {
			all = false
		}
	}
	switch {
	case met && all:
		return "met (every round)"
	case met:
		return "met by the median, not every round"
	}
	return "**not met**"
}

// targets are the targets as this run measured them: sockloop's
// rate over nginx's and net/http's in every wrk workload, and sockloop's
// idle memory per connection over nbio's.
func (ix tlsIndex) targets() []target {
	var out []target
	for _, w := range ix.works {
		base := ix.by[tkey{w.setup, w.name, "sockloop"}]
		switch w.kind {
		case kindWrk:
			for _, t := range []struct {
				impl  string
				limit float64
			}{{"nginx", 1.0}, {"nethttp", 1.5}} {
				xs, ok := ix.by[tkey{w.setup, w.name, t.impl}]
				if !ok {
					continue
				}
				out = append(out, target{label: fmt.Sprintf("%s, %s: sockloop req/s >= %.1fx %s", w.name, w.setup, t.limit, t.impl),
					ratios: tlsRatios(base, xs, tRate), limit: t.limit})
			}
		case kindIdle:
			if xs, ok := ix.by[tkey{w.setup, w.name, "nbio"}]; ok {
				out = append(out, target{label: fmt.Sprintf("%s: sockloop bytes/conn <= 0.5x nbio", w.name),
					ratios: tlsRatios(base, xs, tPerConn), atMost: true, limit: 0.5})
			}
		}
	}
	return out
}

func (rep tlsReport) write(dir string) error {
	stamp := time.Now().UTC().Format("2006-01-02-1504")
	if err := writeTLSCSV(filepath.Join(dir, "tls-"+stamp+".csv"), rep.samples); err != nil {
		return err
	}
	load, _ := os.ReadFile("/proc/loadavg")
	name := filepath.Join(dir, "tls-"+stamp+".md")
	if err := os.WriteFile(name, []byte(rep.render(stamp, strings.TrimSpace(string(load)))), 0o644); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "wrote", name)
	return nil
}

// render writes the markdown report.
func (rep tlsReport) render(stamp, load string) string {
	o := rep.o
	ix := indexSamples(rep.samples, o.impls)
	var b strings.Builder
	fmt.Fprintf(&b, "# bench/compare tls, %s UTC\n\n", stamp)
	fmt.Fprintf(&b, "Raw samples: [tls-%s.csv](tls-%s.csv). The whole run took %v.\n\n", stamp, stamp, rep.took.Round(time.Second))
	fmt.Fprintf(&b, "Machine: %s", rep.machine)
	if load != "" {
		fmt.Fprintf(&b, " Load average at the end: %s.", load)
	}
	b.WriteString("\n\n")
	if rep.source != "" {
		fmt.Fprintf(&b, "sockloop: %s\n\n", rep.source)
	}
	if o.note != "" {
		fmt.Fprintf(&b, "**%s**\n\n", o.note)
	}
	b.WriteString("HTTPS servers, each a process of its own, started afresh for every run, all with one ECDSA P-256 self-signed certificate made for the run, " +
		"TLS 1.3 only, TLS_AES_128_GCM_SHA256, X25519 only (the check below shows what each negotiated), answering `GET /` with `Hello, World!`: " +
		"**sockloop** (bench/compare's plaintext handler, `codec/http1`, with `loop.WithTLS`, crypto/tls; epoll) and **sockloop-uring** (the same on io_uring); " +
		"**nethttp** (net/http's Server over `tls.NewListener`, crypto/tls, the handler of the plaintext runs); " +
		"**nbio** (nbhttp, `AddrsTLS` with llib's crypto/tls fork, the non-blocking mode: the pollers run handshakes and records); " +
		"**nginx** (nginx-light with OpenSSL, `return 200`, `access_log off`, `keepalive_requests` 10^9, `ssl_conf_command NumTickets 1` so that it sends one session ticket per handshake as crypto/tls does, `listen ... backlog=4096` as the Go servers' somaxconn). " +
		"machine: two loops (nbio: two pollers; nginx: two workers; net/http: GOMAXPROCS=2), nothing pinned, the load on the same two CPUs. " +
		"percore: the server under `taskset -c 0` (GOMAXPROCS=1, one loop, one nginx worker), wrk `-t1` under `taskset -c 1`. " +
		fmt.Sprintf("Rounds: %d for wrk and handshakes (%v each), %d for idle memory, %d for latency; servers alternate, the start rotating each round. ", o.rounds, o.dur, o.idleRounds, o.probeRounds) +
		"Ratios are the median of the per-round ratios within one run, with the lowest and highest in brackets; on this shared machine only ratios mean anything, not the absolute figures. " +
		"Server CPU is utime+stime of the server's processes (nginx: master and workers) from /proc around the timed part (10 ms ticks); busy is rate times CPU per op: the CPUs the server kept busy.\n\n")

	b.WriteString("## Targets\n\n| target | sockloop / other (median [range]) | verdict |\n|---|---|---|\n")
	for _, t := range ix.targets() {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", t.label, spread(t.ratios), t.verdict())
	}
	b.WriteString("\n")

	for _, w := range ix.works {
		if w.kind == kindCheck {
			b.WriteString("## Negotiated parameters\n\nEach server once, before anything was timed: `openssl s_client -brief` (OpenSSL's defaults, as wrk's), " +
				"then Go's client twice, the second with the first's session ticket.\n\n| server | check | result |\n|---|---|---|\n")
			for _, impl := range ix.servers(w) {
				s := ix.by[tkey{w.setup, w.name, impl}][0]
				verdict := "ok"
				if !s.ok() {
					verdict = "**failed**"
				} else if s.resumed == 0 {
					verdict = "ok, but **no resumption**"
				}
				fmt.Fprintf(&b, "| %s | %s | %s |\n", impl, s.detail, verdict)
			}
			b.WriteString("\n")
		}
	}

	var wrks, hss []tlsWork
	for _, w := range ix.works {
		switch w.kind {
		case kindWrk:
			wrks = append(wrks, w)
		case kindHandshake:
			hss = append(hss, w)
		}
	}
	if len(wrks) > 0 {
		b.WriteString("## HTTPS keep-alive: wrk\n\n`wrk -tT -cC -d" + o.dur.String() + " --latency https://127.0.0.1:PORT/`: one handshake per connection at the start, then requests one at a time on each. " +
			"The rate counts wrk's requests per second; wrk CPU and server CPU are per request over wrk's whole run. Socket errors: wrk's connect, read, write and timeout errors summed over the rounds.\n\n")
		b.WriteString("| set-up | workload | server | req/s | vs sockloop | server CPU ns/req | CPU vs sockloop | busy | wrk CPU ns/req | p50 | p99 | socket errors |\n|---|---|---|---:|---|---:|---|---:|---:|---:|---:|---:|\n")
		for _, w := range wrks {
			base := ix.by[tkey{w.setup, w.name, "sockloop"}]
			for _, impl := range ix.servers(w) {
				xs := ix.by[tkey{w.setup, w.name, impl}]
				fmt.Fprintf(&b, "| %s | %s | %s | %.0f | %s | %.0f | %s | %.2f | %.0f | %s | %s | %d |\n", w.setup, w.name, impl,
					medianOf(xs, tRate), spread(tlsRatios(xs, base, tRate)), medianOf(xs, tCPU), spread(tlsRatios(xs, base, tCPU)),
					medianOf(xs, tBusy), medianOf(xs, tLoad), fmtDur(medianOf(xs, tP50)), fmtDur(medianOf(xs, tP99)), sumErrs(xs))
			}
		}
		b.WriteString("\n")
		failures(&b, ix, wrks)
	}
	if len(hss) > 0 {
		fmt.Fprintf(&b, "## New TLS connections per second\n\nGo clients in the driver process (crypto/tls, the certificate verified against itself as the only root), "+
			"%d at a time, each making connections one after another for %v: a dial (from 127.0.0.1-32 in turn, so that the clients' TIME_WAITs spread over 32 port ranges), "+
			"a handshake, `GET /` and its response, a close (close_notify, FIN). full: no session cache, every handshake full; resumed: a session cache per client, "+
			"whose first connection, outside the timed part, fills it (TLS 1.3 PSK with X25519, so no certificate or signature, but still a key exchange). "+
			"Rate: connections per second; server and client CPU per connection; resumed: the fraction of connections with DidResume; p50/p99: per connection, dial to the response's last byte.\n\n",
			o.hsWorkers, o.dur)
		b.WriteString("| workload | server | conn/s | vs sockloop | server CPU us/conn | CPU vs sockloop | busy | client CPU us/conn | resumed | p50 | p99 | errors |\n|---|---|---:|---|---:|---|---:|---:|---:|---:|---:|---:|\n")
		for _, w := range hss {
			base := ix.by[tkey{w.setup, w.name, "sockloop"}]
			for _, impl := range ix.servers(w) {
				xs := ix.by[tkey{w.setup, w.name, impl}]
				fmt.Fprintf(&b, "| %s | %s | %.0f | %s | %.1f | %s | %.2f | %.1f | %.3f | %s | %s | %d |\n", w.name, impl,
					medianOf(xs, tRate), spread(tlsRatios(xs, base, tRate)), medianOf(xs, tCPU)/1e3, spread(tlsRatios(xs, base, tCPU)),
					medianOf(xs, tBusy), medianOf(xs, tLoad)/1e3, medianOf(xs, func(s tlsSample) float64 { return s.resumed }),
					fmtDur(medianOf(xs, tP50)), fmtDur(medianOf(xs, tP99)), sumErrs(xs))
			}
		}
		b.WriteString("\n")
		failures(&b, ix, hss)
	}
	for _, w := range ix.works {
		if w.kind != kindIdle {
			continue
		}
		fmt.Fprintf(&b, "## Idle memory per TLS connection\n\n%d connections to each server (machine set-up), opened by %d Go clients at a time, each a full handshake, `GET /` and its response, "+
			"then idle for %v; per connection: (VmRSS with them - VmRSS before the dial) / %d, VmRSS summed over the server's processes (nginx: the master and its workers; "+
			"the workers hold the connections). The client closes them with a reset afterwards. conn/s: how fast they opened, for the record.\n\n",
			w.conns, o.hsWorkers, o.settle, w.conns)
		b.WriteString("| server | VmRSS before (KiB) | VmRSS after (KiB) | bytes per connection | vs sockloop | conn/s |\n|---|---:|---:|---:|---|---:|\n")
		base := ix.by[tkey{w.setup, w.name, "sockloop"}]
		for _, impl := range ix.servers(w) {
			xs := ix.by[tkey{w.setup, w.name, impl}]
			fmt.Fprintf(&b, "| %s | %.0f | %.0f | %.0f | %s | %.0f |\n", impl,
				medianOf(xs, func(s tlsSample) float64 { return float64(s.rssBefore) }), medianOf(xs, func(s tlsSample) float64 { return float64(s.rssAfter) }),
				medianOf(xs, tPerConn), spread(tlsRatios(xs, base, tPerConn)), medianOf(xs, tRate))
		}
		b.WriteString("\n")
		failures(&b, ix, []tlsWork{w})
	}
	var alone, flooded tlsWork
	for _, w := range ix.works {
		switch w.kind {
		case kindProbe:
			alone = w
		case kindProbeFlood:
			flooded = w
		}
	}
	if alone.name != "" {
		fmt.Fprintf(&b, "## Latency of established connections while handshakes are in flight\n\n%d established keep-alive TLS connections (Go clients in the driver), "+
			"each sending `GET /` every %v (the next one on the answer where an answer came later) for %v and timing each from its write to the response's last byte: "+
			"first with nothing else running, then on the same connections while a separate process (`compare tlsload -flood`) keeps %d Go clients connecting, "+
			"handshaking (full) and closing, started at least 1 s and at most %v (ramp) before the measurement, once 90%% of them were dialing or handshaking (ramp: how long that took, median). In flight: the flood's clients that were dialing or handshaking, mean over the measurement. "+
			"The flood, the probes and the server share the two CPUs, so the probes' latency under the flood holds the client's own waits for a CPU as well as the server's; "+
			"the servers are compared under the same flood. p99 ratio: per round, p99 under the flood / p99 alone, the median with the range.\n\n",
			o.probes, o.probeEvery, o.probeDur, o.floodWorkers, o.ramp)
		b.WriteString("| server | p50 alone | p99 alone | p50 flood | p99 flood | p99 flood / alone | p50 flood / alone | flood handshakes/s | in flight | ramp | flood errors | probe errors |\n|---|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|\n")
		for _, impl := range ix.servers(alone) {
			a, f := ix.by[tkey{alone.setup, alone.name, impl}], ix.by[tkey{flooded.setup, flooded.name, impl}]
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %.0f | %.0f | %s | %d | %d |\n", impl,
				fmtDur(medianOf(a, tP50)), fmtDur(medianOf(a, tP99)), fmtDur(medianOf(f, tP50)), fmtDur(medianOf(f, tP99)),
				spread(tlsRatios(f, a, tP99)), spread(tlsRatios(f, a, tP50)),
				medianOf(f, func(s tlsSample) float64 { return s.bgRate }), medianOf(f, func(s tlsSample) float64 { return s.bgInFlight }),
				fmtDur(medianOf(f, func(s tlsSample) float64 { return float64(s.ramp) })), sumBgErrs(f), sumErrs(a)+sumErrs(f))
		}
		b.WriteString("\n")
		if base, ok := ix.by[tkey{flooded.setup, flooded.name, "sockloop"}]; ok {
			for _, impl := range ix.servers(alone) {
				if impl == "sockloop" {
					continue
				}
				xs := ix.by[tkey{flooded.setup, flooded.name, impl}]
				fmt.Fprintf(&b, "- under the flood, sockloop's p99 / %s's: %s; p50: %s\n", impl, spread(tlsRatios(base, xs, tP99)), spread(tlsRatios(base, xs, tP50)))
			}
			b.WriteString("\n")
		}
		failures(&b, ix, []tlsWork{alone, flooded})
	}
	return b.String()
}

func sumErrs(xs []tlsSample) int64 {
	var n int64
	for _, x := range xs {
		n += x.errs
	}
	return n
}

func sumBgErrs(xs []tlsSample) int64 {
	var n int64
	for _, x := range xs {
		n += x.bgErrs
	}
	return n
}

// failures lists the runs of ws that failed, and the details runs left
// (first errors, a low resumed fraction).
func failures(b *strings.Builder, ix tlsIndex, ws []tlsWork) {
	first := true
	for _, w := range ws {
		for _, impl := range ix.servers(w) {
			for _, s := range ix.by[tkey{w.setup, w.name, impl}] {
				if s.ok() && s.detail == "" {
					continue
				}
				if first {
					b.WriteString("Notes on single runs:\n\n")
					first = false
				}
				what := "note"
				if !s.ok() {
					what = "**failed**"
				}
				fmt.Fprintf(b, "- %s, %s, %s, round %d, %s: %s\n", w.setup, w.name, impl, s.round, what, s.detail)
			}
		}
	}
	if !first {
		b.WriteString("\n")
	}
}

var tlsCSVHeader = []string{"workload", "setup", "impl", "round", "rate", "server_cpu_ns", "load_cpu_ns", "p50_ns", "p99_ns",
	"ops", "errors", "resumed", "rss_before_kib", "rss_after_kib", "conns", "bg_rate", "bg_inflight", "bg_errors", "ramp_ns", "detail"}

// writeTLSCSV writes one row per run.
func writeTLSCSV(name string, samples []tlsSample) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(tlsCSVHeader)
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	for _, s := range samples {
		w.Write([]string{s.work.name, s.work.setup, s.impl, strconv.Itoa(s.round), fmt.Sprintf("%.1f", s.rate),
			i(int64(s.cpuPer)), i(int64(s.loadPer)), i(int64(s.p50)), i(int64(s.p99)),
			i(s.ops), i(s.errs), strconv.FormatFloat(s.resumed, 'f', 4, 64), i(s.rssBefore), i(s.rssAfter), strconv.Itoa(s.conns),
			fmt.Sprintf("%.1f", s.bgRate), fmt.Sprintf("%.1f", s.bgInFlight), i(s.bgErrs), i(int64(s.ramp)), s.detail})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// machineDesc describes the machine and the tools of the run.
func machineDesc() string {
	model, mem := "", ""
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(l, "MemTotal:"); ok {
				kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
				mem = fmt.Sprintf("%.0f GiB", kb/(1<<20))
			}
		}
	}
	kernel, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	host, _ := os.Hostname()
	first := func(argv ...string) string {
		out, _ := exec.Command(argv[0], argv[1:]...).CombinedOutput()
		l, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
		return strings.TrimSpace(l)
	}
	nginxSSL := ""
	if out, err := exec.Command("nginx", "-V").CombinedOutput(); err == nil {
		for _, l := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(l, "built with") {
				nginxSSL = " (" + strings.TrimSpace(l) + ")"
			}
		}
	}
	wrk := first("wrk", "-v")
	if i := strings.Index(wrk, " Copyright"); i > 0 {
		wrk = wrk[:i]
	}
	return fmt.Sprintf("%d CPUs (%s), %s memory, Linux %s, host %s; %s; %s%s; %s; %s; open files %d; the load and the servers share the machine (loopback).",
		runtime.NumCPU(), model, mem, strings.TrimSpace(string(kernel)), host, runtime.Version(), first("nginx", "-v"), nginxSSL,
		first("openssl", "version"), wrk, noFileLimit())
}
