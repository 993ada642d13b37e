//go:build linux

package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"
)

// The "tls" subcommand: HTTPS servers, each a process of its own, with one
// certificate (ECDSA P-256, self-signed, made once per run) and one set of
// TLS parameters (TLS 1.3, TLS_AES_128_GCM_SHA256, X25519), alternating over
// rounds: sockloop (loop.WithTLS, on epoll and io_uring), net/http with
// crypto/tls, nbio's nbhttp with llib's crypto/tls fork, and nginx with
// OpenSSL. Every ratio is per round against sockloop (epoll).
//
// Workloads, in this order:
//   - check: what each server negotiates with openssl s_client (wrk's
//     library) and with Go's client, and whether it resumes a session;
//   - wrk over https, keep-alive (machine: -c64 and -c256; percore: -c256);
//   - new connections per second, each a full handshake, one request and
//     its response and a close, and the same resumed (machine);
//   - VmRSS per idle TLS connection at -idleconns connections (machine);
//   - the latency of a few established connections with paced requests,
//     first alone, then while -flood handshakes are kept in flight by a
//     separate process (machine; sockloop and net/http unless -probeimpls).

// tlsKind is what a TLS workload measures.
type tlsKind int

const (
	kindCheck tlsKind = iota
	kindWrk
	kindHandshake
	kindIdle
	kindProbe      // the probes alone
	kindProbeFlood // the probes while the flood runs
)

// tlsWork is one workload in one set-up.
type tlsWork struct {
	name   string
	kind   tlsKind
	setup  string
	conns  int // wrk connections, handshake workers, idle connections, flood workers
	resume bool
}

// tlsSample is one run of one server under one workload; a run that failed
// has rate 0 (and its error in detail).
type tlsSample struct {
	work   tlsWork
	impl   string
	round  int
	rate   float64       // requests/s (wrk, probes) or connections/s
	cpuPer time.Duration // server CPU per op
	// loadPer is the load's CPU per op: wrk's, or this process's clients'.
	loadPer  time.Duration
	p50, p99 time.Duration
	ops      int64
	errs     int64
	resumed  float64 // fraction of the connections that resumed a session
	// rssBefore and rssAfter are the server's VmRSS in KiB (idle) before the
	// dial and with conns connections idle.
	rssBefore, rssAfter int64
	conns               int
	// The flood's handshakes per second, mean handshakes in flight and
	// errors over the probes' run (kindProbeFlood).
	bgRate, bgInFlight float64
	bgErrs             int64
	ramp               time.Duration // how long the flood took to have 90% in flight
	detail             string
}

func (s tlsSample) ok() bool {
	if s.work.kind == kindIdle {
		return s.conns > 0
	}
	return s.rate > 0
}

// perConn is the idle memory per connection in bytes.
func (s tlsSample) perConn() float64 {
	if s.conns == 0 {
		return 0
	}
	return float64(s.rssAfter-s.rssBefore) * 1024 / float64(s.conns)
}

// tlsOpts are the subcommand's flags.
type tlsOpts struct {
	dur, settle, probeDur, probeEvery, ramp time.Duration
	rounds, idleRounds, probeRounds         int
	hsWorkers, idleConns, floodWorkers      int
	probes                                  int
	impls, probeImpls                       []string
	setups                                  []string
	only                                    string
	outDir, note                            string
	port                                    int
}

func tlsMain(args []string) error {
	fs := flag.NewFlagSet("tls", flag.ExitOnError)
	var o tlsOpts
	fs.DurationVar(&o.dur, "dur", 3*time.Second, "length of each wrk and handshake run")
	fs.IntVar(&o.rounds, "rounds", 3, "alternating rounds of the wrk and handshake runs")
	impls := fs.String("impls", strings.Join(tlsImpls, ","), "servers (sockloop, the baseline, always runs)")
	setups := fs.String("setup", "machine,percore", "set-ups of the wrk runs (the Go loads run in machine only)")
	fs.StringVar(&o.only, "only", "", "run only workloads whose name contains this (the check always runs)")
	fs.IntVar(&o.hsWorkers, "hsworkers", 64, "concurrent clients of the handshake runs")
	fs.IntVar(&o.idleConns, "idleconns", 10000, "idle TLS connections")
	fs.IntVar(&o.idleRounds, "idlerounds", 2, "alternating rounds of the idle runs")
	fs.DurationVar(&o.settle, "settle", 3*time.Second, "quiet time before the idle RSS is read")
	probeImpls := fs.String("probeimpls", "sockloop,nethttp", "servers of the latency-under-handshakes runs")
	fs.IntVar(&o.probeRounds, "proberounds", 3, "alternating rounds of the latency runs")
	fs.IntVar(&o.probes, "probes", 4, "established connections whose latency is measured")
	fs.DurationVar(&o.probeEvery, "probeevery", 2*time.Millisecond, "each probe's request interval")
	fs.DurationVar(&o.probeDur, "probedur", 3*time.Second, "length of each latency phase")
	fs.IntVar(&o.floodWorkers, "flood", 10000, "handshakes kept in flight during the loaded latency phase")
	fs.DurationVar(&o.ramp, "ramp", 10*time.Second, "the most time the flood gets to have 90% of its handshakes in flight before the loaded phase is measured (at least 1s)")
	fs.StringVar(&o.outDir, "out", "../results", "where the report goes")
	fs.IntVar(&o.port, "port", 19800, "first port; each server start takes the next")
	fs.StringVar(&o.note, "note", "", "a line for the report's header (the machine's state)")
	fs.Parse(args)
	o.impls = withSockloop(strings.Split(*impls, ","))
	o.probeImpls = withSockloop(strings.Split(*probeImpls, ","))
	o.setups = strings.Split(*setups, ",")
	for _, tool := range []string{"wrk", "openssl", "taskset"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s: %v (apt-get install -y wrk openssl util-linux)", tool, err)
		}
	}
	if slices.Contains(o.impls, "nginx") {
		if _, err := exec.LookPath("nginx"); err != nil {
			fmt.Fprintln(os.Stderr, "compare tls: no nginx, skipping it (apt-get install -y nginx-light)")
			o.impls = without(o.impls, "nginx")
		}
	}
	raiseNoFile()
	if need := uint64(o.idleConns+o.probes+256) + 64; noFileLimit() < need {
		return fmt.Errorf("open-files limit %d, the idle run needs about %d (ulimit -n)", noFileLimit(), need)
	}
	source := sockloopSource()
	start := time.Now()
	dir, err := os.MkdirTemp("", "compare-tls-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	certFile, keyFile, err := writeSelfSigned(dir)
	if err != nil {
		return err
	}
	r := &tlsRunner{o: o, dir: dir, certFile: certFile, keyFile: keyFile}
	var samples []tlsSample
	// The check: every server, once, before anything is timed.
	var working []string
	for _, impl := range o.impls {
		s := r.check(impl)
		samples = append(samples, s)
		fmt.Fprintf(os.Stderr, "check %-15s %s\n", impl, s.detail)
		if s.ok() || impl == "sockloop" {
			working = append(working, impl)
		}
	}
	for _, w := range tlsWorkloads(o) {
		if w.kind == kindProbeFlood || !strings.Contains(w.name, o.only) {
			continue
		}
		list, rounds := working, o.rounds
		switch w.kind {
		case kindIdle:
			rounds = o.idleRounds
		case kindProbe:
			list, rounds = intersect(o.probeImpls, working), o.probeRounds
		}
		for round := range rounds {
			for i := range list {
				impl := list[(i+round)%len(list)]
				got := r.run(w, impl, round)
				for _, s := range got {
					fmt.Fprintln(os.Stderr, s.progress())
				}
				samples = append(samples, got...)
			}
		}
	}
	rep := tlsReport{samples: samples, o: o, source: source, machine: machineDesc(), took: time.Since(start)}
	return rep.write(o.outDir)
}

// withSockloop puts sockloop first in list.
func withSockloop(list []string) []string {
	return append([]string{"sockloop"}, without(list, "sockloop")...)
}

// intersect keeps the servers of a that are in b, in a's order.
func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// tlsWorkloads are the workloads of a run, in order; the flood phase of
// the latency runs is measured by the probe workload's runs.
func tlsWorkloads(o tlsOpts) []tlsWork {
	var ws []tlsWork
	if slices.Contains(o.setups, "machine") {
		ws = append(ws,
			tlsWork{name: "https keep-alive 64c", kind: kindWrk, setup: "machine", conns: 64},
			tlsWork{name: "https keep-alive 256c", kind: kindWrk, setup: "machine", conns: 256})
	}
	if slices.Contains(o.setups, "percore") {
		ws = append(ws, tlsWork{name: "https keep-alive 256c", kind: kindWrk, setup: "percore", conns: 256})
	}
	ws = append(ws,
		tlsWork{name: fmt.Sprintf("handshakes full, %d clients", o.hsWorkers), kind: kindHandshake, setup: "machine", conns: o.hsWorkers},
		tlsWork{name: fmt.Sprintf("handshakes resumed, %d clients", o.hsWorkers), kind: kindHandshake, setup: "machine", conns: o.hsWorkers, resume: true},
		tlsWork{name: fmt.Sprintf("idle %d TLS conns", o.idleConns), kind: kindIdle, setup: "machine", conns: o.idleConns},
		tlsWork{name: fmt.Sprintf("probe latency, %d conns alone", o.probes), kind: kindProbe, setup: "machine", conns: o.probes},
		tlsWork{name: fmt.Sprintf("probe latency, %d handshakes in flight", o.floodWorkers), kind: kindProbeFlood, setup: "machine", conns: o.floodWorkers})
	return ws
}

// tlsRunner runs one server under one workload at a time.
type tlsRunner struct {
	o                      tlsOpts
	dir, certFile, keyFile string
}

// start starts impl on the next port in the set-up.
func (r *tlsRunner) start(impl string, s setup) (*tlsProc, string, error) {
	addr := fmt.Sprintf("127.0.0.1:%d", r.o.port)
	r.o.port++
	p, err := startTLSServer(impl, addr, s.loops, s.serverCPUs, r.dir, r.certFile, r.keyFile)
	return p, addr, err
}

func (r *tlsRunner) clientConfig(resume bool) (*tls.Config, error) {
	return clientTLSConfig(r.certFile, resume)
}

// check starts impl and says what it negotiates: with openssl s_client,
// and with Go's client twice, the second resuming the first's session. A
// server off the pinned parameters fails the check (and still runs, so
// that the report shows it).
func (r *tlsRunner) check(impl string) tlsSample {
	w := tlsWork{name: "check", kind: kindCheck, setup: "machine"}
	smp := tlsSample{work: w, impl: impl}
	s, _ := lookupSetup("machine", runtime.NumCPU())
	p, addr, err := r.start(impl, s)
	if err != nil {
		smp.detail = err.Error()
		return smp
	}
	defer p.stop()
	ossl, err := sClientParams(addr)
	if err != nil {
		ossl = "failed: " + strings.ReplaceAll(err.Error(), "\n", " ")
	}
	cfg, err := r.clientConfig(true)
	if err != nil {
		smp.detail = err.Error()
		return smp
	}
	d := newTLSDialer(addr)
	var goParams []string
	resumed := false
	for i := range 2 {
		c, err := connect(d, cfg, 10*time.Second, false)
		if err != nil {
			smp.detail = fmt.Sprintf("openssl: %s; go: connection %d: %v", ossl, i+1, err)
			return smp
		}
		st := c.tc.ConnectionState()
		goParams = append(goParams, tlsParams(st))
		resumed = st.DidResume
		c.tc.Close()
	}
	smp.detail = fmt.Sprintf("openssl: %s; go: %s; go again: %s, resumed %v", ossl, goParams[0], goParams[1], resumed)
	if ossl == pinnedParams && goParams[0] == pinnedParams && goParams[1] == pinnedParams {
		smp.rate = 1 // passed
	} else {
		smp.detail += " (OFF THE PINNED PARAMETERS)"
	}
	if resumed {
		smp.resumed = 1
	}
	return smp
}

// run measures impl once under w; the probe workload gives two samples.
func (r *tlsRunner) run(w tlsWork, impl string, round int) []tlsSample {
	s, err := lookupSetup(w.setup, runtime.NumCPU())
	fail := func(err error) []tlsSample {
		return []tlsSample{{work: w, impl: impl, round: round, detail: strings.ReplaceAll(err.Error(), "\n", " ")}}
	}
	if err != nil {
		return fail(err)
	}
	p, addr, err := r.start(impl, s)
	if err != nil {
		return fail(err)
	}
	defer p.stop()
	var out []tlsSample
	switch w.kind {
	case kindWrk:
		var smp tlsSample
		smp, err = r.wrk(w, s, p, addr)
		out = []tlsSample{smp}
	case kindHandshake:
		var smp tlsSample
		smp, err = r.handshakes(w, p, addr)
		out = []tlsSample{smp}
	case kindIdle:
		var smp tlsSample
		smp, err = r.idle(w, p, addr)
		out = []tlsSample{smp}
	case kindProbe:
		out, err = r.probeLatency(w, addr)
	}
	if err != nil {
		return fail(err)
	}
	for i := range out {
		out[i].impl, out[i].round = impl, round
	}
	return out
}

// wrk runs wrk over https: a thread per loop unpinned, a thread per client
// CPU pinned.
func (r *tlsRunner) wrk(w tlsWork, s setup, p *tlsProc, addr string) (tlsSample, error) {
	threads := s.loops
	if s.pinned() {
		threads = len(s.clientCPUs)
	}
	cpu0, _ := p.cpu()
	t0 := time.Now()
	res, sockErrs, err := wrkHTTPS(addr, w.conns, threads, s.clientCPUs, r.o.dur)
	took := time.Since(t0)
	cpu1, _ := p.cpu()
	if err != nil {
		return tlsSample{}, err
	}
	smp := tlsSample{work: w, rate: res.rate, p50: res.p50, p99: res.p99, ops: res.total, errs: sockErrs}
	// wrk's rate leaves out its connects and exit, CPU covers the whole run:
	// count requests over that span, as the plaintext runs do.
	if span := res.rate * min(took.Seconds(), r.o.dur.Seconds()); span > 0 {
		smp.cpuPer = time.Duration(float64(cpu1-cpu0) / span)
		smp.loadPer = time.Duration(float64(res.cpu) / span)
	}
	return smp, nil
}

// handshakes runs the handshake load from this process.
func (r *tlsRunner) handshakes(w tlsWork, p *tlsProc, addr string) (tlsSample, error) {
	cfg, err := r.clientConfig(w.resume)
	if err != nil {
		return tlsSample{}, err
	}
	var cpu, self [2]time.Duration
	n := 0
	mark := func() {
		cpu[n], _ = p.cpu()
		self[n] = selfCPU()
		n++
	}
	res, err := handshakeLoad(addr, cfg, w.conns, r.o.dur, mark)
	if err != nil {
		return tlsSample{}, err
	}
	smp := tlsSample{work: w, rate: float64(res.conns) / res.took.Seconds(), ops: res.conns, errs: res.errs,
		cpuPer: (cpu[1] - cpu[0]) / time.Duration(res.conns), loadPer: (self[1] - self[0]) / time.Duration(res.conns),
		p50: res.lat.Quantile(0.5), p99: res.lat.Quantile(0.99), resumed: float64(res.resumed) / float64(res.conns)}
	if res.errs > 0 {
		smp.detail = fmt.Sprintf("first error: %v", res.firstErr)
	}
	if res.offPin > 0 {
		return smp, fmt.Errorf("%d connections off %s", res.offPin, pinnedParams)
	}
	if w.resume && smp.resumed < 0.9 {
		smp.detail = strings.TrimPrefix(smp.detail+"; ", "; ") + fmt.Sprintf("only %.3f resumed", smp.resumed)
	}
	return smp, nil
}

// idle opens the idle connections, waits, and reads the server's VmRSS.
func (r *tlsRunner) idle(w tlsWork, p *tlsProc, addr string) (tlsSample, error) {
	time.Sleep(500 * time.Millisecond) // let start-up finish
	smp := tlsSample{work: w}
	var err error
	if smp.rssBefore, err = p.rss(); err != nil {
		return smp, err
	}
	cfg, err := r.clientConfig(false)
	if err != nil {
		return smp, err
	}
	t0 := time.Now()
	conns, err := openIdle(addr, cfg, w.conns, r.o.hsWorkers)
	if err != nil {
		return smp, err
	}
	defer closeAll(conns)
	opened := time.Since(t0)
	time.Sleep(r.o.settle)
	if smp.rssAfter, err = p.rss(); err != nil {
		return smp, err
	}
	smp.conns = len(conns)
	smp.rate = float64(len(conns)) / opened.Seconds() // how fast they opened, for the record
	return smp, nil
}

// probeLatency opens the probes, measures them alone, then starts the
// flood, gives it the ramp, and measures them again while it runs.
func (r *tlsRunner) probeLatency(w tlsWork, addr string) ([]tlsSample, error) {
	cfg, err := r.clientConfig(false)
	if err != nil {
		return nil, err
	}
	d := newTLSDialer(addr)
	var conns []*httpsConn
	defer func() { closeAll(conns) }()
	for range w.conns {
		c, err := connect(d, cfg, 10*time.Second, false)
		if err != nil {
			return nil, err
		}
		conns = append(conns, c)
	}
	sampleOf := func(work tlsWork, pr probeResult, took time.Duration) tlsSample {
		s := tlsSample{work: work, rate: float64(pr.lat.Count()) / took.Seconds(), ops: int64(pr.lat.Count()),
			p50: pr.lat.Quantile(0.5), p99: pr.lat.Quantile(0.99), errs: pr.errs}
		if pr.err != nil {
			s.detail = fmt.Sprintf("probe error: %v", pr.err)
		}
		return s
	}
	alone := probe(conns, r.o.probeDur, r.o.probeEvery)
	quiet := sampleOf(w, alone, r.o.probeDur)
	if alone.err != nil {
		return nil, fmt.Errorf("probes alone: %v", alone.err)
	}
	fw := tlsWorkloads(r.o)[len(tlsWorkloads(r.o))-1] // the flood phase
	f, err := startFlood(addr, r.certFile, r.dir, r.o.floodWorkers, r.o.ramp+r.o.probeDur+time.Minute)
	if err != nil {
		return nil, err
	}
	defer f.stop()
	rampT := time.Now()
	ramped := f.ramp(r.o.floodWorkers*9/10, time.Second, r.o.ramp)
	rampTook := time.Since(rampT)
	var loaded probeResult
	fw0 := f.watch(func() { loaded = probe(conns, r.o.probeDur, r.o.probeEvery) })
	busy := sampleOf(fw, loaded, fw0.took)
	busy.bgRate = float64(fw0.handshakes) / fw0.took.Seconds()
	busy.bgInFlight = fw0.inFlight
	busy.bgErrs = fw0.errors
	busy.ramp = rampTook
	if !ramped {
		busy.detail = fmt.Sprintf("fewer than %d in flight after the %v ramp", r.o.floodWorkers*9/10, r.o.ramp)
	}
	if fw0.firstError != "" {
		busy.detail = strings.TrimPrefix(busy.detail+"; ", "; ") + "flood's first error: " + fw0.firstError
	}
	if busy.ops == 0 {
		busy.rate = 0 // failed: no probe answered under the flood
	}
	return []tlsSample{quiet, busy}, nil
}

// progress is the line a run writes to stderr.
func (s tlsSample) progress() string {
	head := fmt.Sprintf("%-8s %-42s %-15s r%d", s.work.setup, s.work.name, s.impl, s.round)
	if !s.ok() {
		return head + " FAILED: " + s.detail
	}
	var b strings.Builder
	b.WriteString(head)
	switch s.work.kind {
	case kindIdle:
		fmt.Fprintf(&b, " VmRSS %d -> %d KiB, %.0f B/conn", s.rssBefore, s.rssAfter, s.perConn())
	case kindProbe, kindProbeFlood:
		fmt.Fprintf(&b, " %6.0f req/s p50 %v p99 %v", s.rate, s.p50, s.p99)
		if s.work.kind == kindProbeFlood {
			fmt.Fprintf(&b, "; flood %.0f hs/s, %.0f in flight, %d errors", s.bgRate, s.bgInFlight, s.bgErrs)
		}
	default:
		fmt.Fprintf(&b, " %10.0f/s cpu %7.0f ns/op load %7.0f ns/op p50 %v p99 %v errs %d", s.rate, float64(s.cpuPer), float64(s.loadPer), s.p50, s.p99, s.errs)
		if s.work.resume {
			fmt.Fprintf(&b, " resumed %.3f", s.resumed)
		}
	}
	if s.detail != "" {
		b.WriteString(" (" + s.detail + ")")
	}
	return b.String()
}
