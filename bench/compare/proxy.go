//go:build linux

package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The "proxy" subcommand: TCP proxies, each a process of its own between
// the load and an upstream, alternating over rounds, with every ratio
// against HAProxy (issue 18's baseline). Small messages go through to the C
// floor echo server (../limit) under bench's echo client; bulk is iperf3 -P
// 4 through the proxy to iperf3 -s, one op being 1 MB (10^6 bytes).

// proxyImpls are the proxies, the baseline first. "floor" (the C floor
// proxy, ../limit/proxy.c) runs where -impls names it.
var proxyImpls = []string{"haproxy", "sockloop", "sockloop-uring", "sockloop-splice", "sockloop-copy", "iocopy"}

// proxyWork is one proxy workload and the set-up it runs in.
type proxyWork struct {
	workload
	setup string
	bulk  bool // iperf3 through the proxy
	churn bool // short connections, conns of them in flight; otherwise the echo client
}

var proxyWorkloads = []proxyWork{
	{workload: workload{name: "proxy 100c 64B pingpong", conns: 100, size: 64, depth: 1}, setup: "percore"},
	{workload: workload{name: "proxy 100c 64B x16", conns: 100, size: 64, depth: 16}, setup: "percore"},
	{workload: workload{name: "proxy bulk iperf3 -P 4 (op = 1 MB)"}, setup: "machine", bulk: true},
	{workload: workload{name: "proxy churn 64c 64B (op = 1 conn)", conns: 64, size: churnMsg, depth: 1}, setup: "percore", churn: true},
	{workload: workload{name: "proxy churn 64c 64B 2 loops (op = 1 conn)", conns: 64, size: churnMsg, depth: 1}, setup: "machine", churn: true},
}

const bulkStreams = 4

// proxyMeta is what the proxy report says besides the samples.
func proxyMeta(m meta) meta {
	m.prefix, m.base = "proxy", "haproxy"
	m.intro = "Proxies, each its own process, between the load and an upstream. " +
		"percore: the proxy under `taskset -c 0` (Go ones with GOMAXPROCS=1, one loop; HAProxy `nbthread 1`), " +
		"the C floor echo server (../limit, one thread) upstream and bench's echo client both on CPU 1; rate is messages/s, CPU per message. " +
		"machine: two loops (HAProxy `nbthread 2`), nothing pinned, `iperf3 -c -P 4` through the proxy to `iperf3 -s`; " +
		"one op is 1 MB (10^6 bytes) received by iperf3's server, so rate is MB/s and CPU ns/op is proxy CPU ns per MB (the bulk table below converts). " +
		"HAProxy: `mode tcp`, `option splice-auto`. sockloop: examples/proxy with `-backend epoll` (sockloop), `io_uring` (sockloop-uring), " +
		"`epoll -splice` (sockloop-splice) and `epoll -copy` (sockloop-copy: the relay in the handler, no splice). iocopy: two io.Copy goroutines per connection (splice(2) on Linux). " +
		"floor: the C floor proxy (../limit/proxy.c, one level-triggered epoll loop per thread, threads = loops), read then write through a 64 KiB buffer per direction. " +
		"churn: 64 connections in flight from one client thread, each a connect from 127.0.0.1-32, 64 B echoed through the proxy by the C echo server and checked, and a close by the client; " +
		"percore placed as the small messages (client and upstream on CPU 1), `2 loops` as bulk (two loops, nothing pinned, all three sharing both CPUs); " +
		"one op is one connection, so rate is connections/s and CPU ns/op the proxy's CPU per connection; a run fails if the proxy holds more sockets 5 s after it than before. " +
		"busy: the CPUs the proxy kept busy. load CPU ns/op: the echo or churn client's CPU (this process), or iperf3's client. p50/p99: the echo client's per message, the churn client's per connection (socket(2) to the last byte back). " +
		"The set-up headings below are the echo workloads' wording; the proxy's placement is as said here."
	return m
}

// proxyTail writes the bulk and churn rows again in their own units.
func proxyTail(order []key, res map[key][]sample) func(*strings.Builder) {
	return func(b *strings.Builder) {
		bulkRows(b, order, res)
		churnRows(b, order, res)
	}
}

// churnRows writes the churn rows in connections per second and CPU
// microseconds per connection, the client's and the upstream's beside the
// proxy's: they share the other CPU, and the rate is the proxy's only where
// that CPU had time to spare.
func churnRows(b *strings.Builder, order []key, res map[key][]sample) {
	first := true
	for _, k := range order {
		pw, ok := lookupProxyWork(k.workload)
		if !ok || !pw.churn {
			continue
		}
		if first {
			b.WriteString("Churn in its own units (medians over the rounds; busy is rate times CPU per connection):\n\n" +
				"| set-up | proxy | conn/s | proxy CPU us/conn | proxy busy | client CPU us/conn | upstream CPU us/conn | client + upstream busy |\n" +
				"|---|---|---:|---:|---:|---:|---:|---:|\n")
			first = false
		}
		xs := res[k]
		var rates, busy, other []float64
		for _, x := range xs {
			if x.rate > 0 {
				rates = append(rates, x.rate)
				busy = append(busy, busyOf(x))
				other = append(other, x.rate*(x.loadPer+x.upPer).Seconds())
			}
		}
		us := func(f func(sample) time.Duration) float64 { return float64(medianDur(xs, f)) / 1e3 }
		fmt.Fprintf(b, "| %s | %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f |\n", k.setup, k.impl, median(rates),
			us(func(s sample) time.Duration { return s.cpuPer }), median(busy),
			us(func(s sample) time.Duration { return s.loadPer }), us(func(s sample) time.Duration { return s.upPer }), median(other))
	}
	if !first {
		b.WriteString("\n")
	}
}

// bulkRows writes the bulk rows in Gbit/s and CPU seconds per GB.
func bulkRows(b *strings.Builder, order []key, res map[key][]sample) {
	first := true
	for _, k := range order {
		pw, ok := lookupProxyWork(k.workload)
		if !ok || !pw.bulk {
			continue
		}
		if first {
			b.WriteString("Bulk in its own units (medians over the rounds; the ratios are those of the table):\n\n| proxy | Gbit/s | proxy CPU s/GB | CPU/GB vs iocopy |\n|---|---:|---:|---|\n")
			first = false
		}
		xs := res[k]
		var rates []float64
		for _, x := range xs {
			if x.rate > 0 {
				rates = append(rates, x.rate)
			}
		}
		cpu := medianDur(xs, func(s sample) time.Duration { return s.cpuPer })
		fmt.Fprintf(b, "| %s | %.2f | %.3f | %s |\n", k.impl, median(rates)*8/1000, float64(cpu)/1e6,
			spread(ratios(xs, res[key{k.setup, k.workload, "iocopy"}], cpuOf)))
	}
	if !first {
		b.WriteString("\n")
	}
}

func lookupProxyWork(name string) (proxyWork, bool) {
	for _, pw := range proxyWorkloads {
		if pw.name == name {
			return pw, true
		}
	}
	return proxyWork{}, false
}

// proxyMain is the "proxy" subcommand.
func proxyMain(args []string) error {
	fs := flag.NewFlagSet("proxy", flag.ExitOnError)
	dur := fs.Duration("dur", 3*time.Second, "timed length of each run (iperf3: whole seconds, at least 1)")
	rounds := fs.Int("rounds", 3, "alternating rounds")
	only := fs.String("only", "", "run only workloads whose name contains this")
	impls := fs.String("impls", strings.Join(proxyImpls, ","), "proxies (haproxy is the baseline)")
	limitDir := fs.String("limit", "../limit", "bench/limit sources")
	src := fs.String("src", "../../examples/proxy", "examples/proxy sources")
	outDir := fs.String("out", "../results", "where the report goes")
	port := fs.Int("port", 19600, "first port; each run takes the next two (upstream, proxy)")
	note := fs.String("note", "", "a line for the report's header (the machine's state)")
	fs.Parse(args)
	list := strings.Split(*impls, ",")
	// A missing HAProxy or iperf3 skips what needs it, not the run.
	if _, err := exec.LookPath("haproxy"); err != nil {
		fmt.Fprintln(os.Stderr, "compare proxy: no haproxy, skipping it (apt-get install -y haproxy); ratios need it")
		list = without(list, "haproxy")
	}
	haveIperf := true
	if _, err := exec.LookPath("iperf3"); err != nil {
		fmt.Fprintln(os.Stderr, "compare proxy: no iperf3, skipping the bulk workload (apt-get install -y iperf3)")
		haveIperf = false
	}
	source := sockloopSource()
	cdir, err := buildLimit(*limitDir)
	if err != nil {
		return err
	}
	defer os.RemoveAll(cdir)
	bin := filepath.Join(cdir, "sockloop-proxy") // "proxy" is the floor's

	if out, err := exec.Command("go", "build", "-o", bin, *src).CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", *src, err, out)
	}
	res := map[key][]sample{}
	var order []key
	for _, pw := range proxyWorkloads {
		if !strings.Contains(pw.name, *only) || (pw.bulk && !haveIperf) {
			continue
		}
		s, err := lookupSetup(pw.setup, 1<<16) // two CPUs is all either needs
		if err != nil {
			return err
		}
		for _, impl := range list {
			order = append(order, key{s.name, pw.name, impl})
		}
		for r := range *rounds {
			for i := range list {
				impl := list[(i+r)%len(list)]
				smp, err := measureProxy(impl, pw, s, bin, cdir, *port, *dur)
				*port += 2
				if err != nil {
					fmt.Fprintf(os.Stderr, "%s / %s round %d: %v\n", pw.name, impl, r, err)
					smp = sample{}
				}
				fmt.Fprintf(os.Stderr, "%-36s %-15s r%d %12.0f/s  cpu %9.0f ns/op\n", pw.name, impl, r, smp.rate, float64(smp.cpuPer))
				k := key{s.name, pw.name, impl}
				res[k] = append(res[k], smp)
			}
		}
	}
	m := proxyMeta(meta{dur: *dur, rounds: *rounds, note: *note, source: source})
	m.tail = proxyTail(order, res)
	return writeReport(*outDir, order, res, nil, m)
}

func without(list []string, name string) []string {
	var out []string
	for _, x := range list {
		if x != name {
			out = append(out, x)
		}
	}
	return out
}

// proxyArgv is the command line of proxy impl listening on addr, relaying
// to up with loops loops (HAProxy: threads), its config written into dir.
func proxyArgv(impl, bin, dir, addr, up string, loops int) ([]string, error) {
	l := strconv.Itoa(loops)
	switch impl {
	case "haproxy":
		cfg := fmt.Sprintf(`global
    nbthread %d
    maxconn 4096
defaults
    mode tcp
    option splice-auto
    timeout connect 5s
    timeout client 60s
    timeout server 60s
listen relay
    bind %s
    server up %s
`, loops, addr, up)
		name := filepath.Join(dir, "haproxy-"+strings.ReplaceAll(addr, ":", "-")+".cfg")
		if err := os.WriteFile(name, []byte(cfg), 0o644); err != nil {
			return nil, err
		}
		return []string{"haproxy", "-db", "-f", name}, nil
	case "sockloop":
		return []string{bin, "-addr", addr, "-upstream", up, "-loops", l, "-backend", "epoll"}, nil
	case "sockloop-uring":
		return []string{bin, "-addr", addr, "-upstream", up, "-loops", l, "-backend", "io_uring"}, nil
	case "sockloop-splice":
		return []string{bin, "-addr", addr, "-upstream", up, "-loops", l, "-backend", "epoll", "-splice"}, nil
	case "sockloop-copy":
		return []string{bin, "-addr", addr, "-upstream", up, "-loops", l, "-backend", "epoll", "-copy"}, nil
	case "iocopy":
		self, err := os.Executable()
		if err != nil {
			return nil, err
		}
		return []string{self, "server", "-impl", "iocopy", "-addr", addr, "-upstream", up}, nil
	case "floor":
		lh, lp, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		uh, upp, err := net.SplitHostPort(up)
		if err != nil {
			return nil, err
		}
		return []string{filepath.Join(dir, "proxy"), lh, lp, uh, upp, l}, nil
	}
	return nil, fmt.Errorf("no proxy %q", impl)
}

// measureProxy starts the upstream and the proxy on port and port+1, loads
// the proxy for dur and stops both.
func measureProxy(impl string, pw proxyWork, s setup, bin, cdir string, port int, dur time.Duration) (smp sample, err error) {
	up := fmt.Sprintf("127.0.0.1:%d", port)
	addr := fmt.Sprintf("127.0.0.1:%d", port+1)
	var upArgv []string
	if pw.bulk {
		upArgv = []string{"iperf3", "-s", "-B", "127.0.0.1", "-p", strconv.Itoa(port), "--logfile", "/dev/null"}
	} else {
		upArgv = []string{filepath.Join(cdir, "echo"), "127.0.0.1", strconv.Itoa(port), "1"}
	}
	upstream, err := startProc("upstream", upArgv, s.clientCPUs, up)
	if err != nil {
		return sample{}, err
	}
	defer upstream.stop()
	argv, err := proxyArgv(impl, bin, cdir, addr, up, s.loops)
	if err != nil {
		return sample{}, err
	}
	srv, err := startProc(impl, argv, s.serverCPUs, addr)
	if err != nil {
		return sample{}, err
	}
	defer srv.stop()
	if pw.bulk {
		// The start-up probe went through to iperf3 -s as an aborted
		// test; let it reset before the real one.
		time.Sleep(200 * time.Millisecond)
		return iperfLoad(srv, addr, dur)
	}
	if pw.churn {
		return churnProxy(srv, upstream, addr, pw, s, dur)
	}
	var cpu, self [2]time.Duration
	n := 0
	mark := func() {
		cpu[n], _ = srv.cpu()
		self[n] = selfCPU()
		n++
	}
	msgs, took, p50, p99, err := echoLoad(addr, pw.workload, s.clientCPUs, dur, mark)
	if err != nil {
		return sample{}, err
	}
	return sample{rate: float64(msgs) / took.Seconds(), cpuPer: (cpu[1] - cpu[0]) / time.Duration(msgs),
		loadPer: (self[1] - self[0]) / time.Duration(msgs), p50: p50, p99: p99}, nil
}

// churnProxy runs the churn load through the proxy srv at addr: rate in
// connections per second, the proxy's, the client's and the upstream's CPU
// per connection. A proxy that still holds more sockets than before the
// load once it has had fdSettle to close its connections fails the run.
func churnProxy(srv, upstream *server, addr string, pw proxyWork, s setup, dur time.Duration) (sample, error) {
	fds0, err := srv.fds()
	if err != nil {
		return sample{}, err
	}
	var cpu, up, self [2]time.Duration
	n := 0
	mark := func() {
		cpu[n], _ = srv.cpu()
		up[n], _ = upstream.cpu()
		self[n] = selfCPU()
		n++
	}
	conns, took, p50, p99, err := churnLoad(addr, pw.conns, s.clientCPUs, dur, mark)
	if err != nil {
		return sample{}, err
	}
	if err := srv.fdsSettle(fds0, fdSettle); err != nil {
		return sample{}, err
	}
	per := func(d [2]time.Duration) time.Duration { return (d[1] - d[0]) / time.Duration(conns) }
	return sample{rate: float64(conns) / took.Seconds(), cpuPer: per(cpu), loadPer: per(self), upPer: per(up), p50: p50, p99: p99}, nil
}

// fdSettle is how long a proxy may take to close its last connections
// after the load ends.
const fdSettle = 5 * time.Second

// iperfLoad runs iperf3 -c -P 4 through the proxy at addr: rate in MB/s
// received by iperf3's server, the proxy's and iperf3's CPU per MB over the
// client's whole run.
func iperfLoad(srv *server, addr string, dur time.Duration) (sample, error) {
	host, port, _ := net.SplitHostPort(addr)
	secs := max(1, int(dur.Round(time.Second).Seconds()))
	cmd := exec.Command("iperf3", "-c", host, "-p", port, "-P", strconv.Itoa(bulkStreams), "-t", strconv.Itoa(secs), "-J")
	cpu0, _ := srv.cpu()
	out, err := cmd.Output()
	cpu1, _ := srv.cpu()
	if err != nil {
		return sample{}, fmt.Errorf("iperf3: %v\n%s", err, out)
	}
	mb, secsGot, err := parseIperf(out)
	if err != nil {
		return sample{}, err
	}
	load := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return sample{rate: mb / secsGot, cpuPer: time.Duration(float64(cpu1-cpu0) / mb), loadPer: time.Duration(float64(load) / mb)}, nil
}

// parseIperf returns the MB (10^6 bytes) iperf3's server received and over
// how many seconds, from iperf3 -J's output.
func parseIperf(out []byte) (mb, secs float64, err error) {
	var r struct {
		End struct {
			SumReceived struct {
				Seconds float64 `json:"seconds"`
				Bytes   float64 `json:"bytes"`
			} `json:"sum_received"`
		} `json:"end"`
		Error string `json:"error"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		return 0, 0, fmt.Errorf("iperf3 -J: %v", err)
	}
	if r.Error != "" {
		return 0, 0, errors.New("iperf3: " + r.Error)
	}
	s := r.End.SumReceived
	if s.Bytes <= 0 || s.Seconds <= 0 {
		return 0, 0, fmt.Errorf("iperf3 -J: nothing received")
	}
	return s.Bytes / 1e6, s.Seconds, nil
}

// serveIOCopyProxy is the io.Copy proxy: per connection, a dial to
// upstream and two goroutines copying (splice(2) between TCP sockets on
// Linux), each passing its side's half-close on.
func serveIOCopyProxy(addr, upstream string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return ioCopyProxy(ln, upstream)
}

func ioCopyProxy(ln net.Listener, upstream string) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go func() {
			u, err := net.Dial("tcp", upstream)
			if err != nil {
				c.Close()
				return
			}
			done := make(chan struct{})
			go func() {
				relay(u, c)
				close(done)
			}()
			relay(c, u)
			<-done
			c.Close()
			u.Close()
		}()
	}
}

// relay copies src to dst until src's EOF, then shuts down dst's sending
// side; on an error it closes both, which ends the other direction too.
func relay(dst, src net.Conn) {
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		src.Close()
		return
	}
	dst.(*net.TCPConn).CloseWrite()
}
