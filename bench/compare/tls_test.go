//go:build linux

package main

import (
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestNginxConfig checks that the generated nginx config pins what the
// other servers are pinned to and keeps everything nginx writes in its
// directory, and, where nginx is installed, that nginx accepts it.
func TestNginxConfig(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, err := writeSelfSigned(dir)
	if err != nil {
		t.Fatal(err)
	}
	conf := nginxConfig(dir, "127.0.0.1:19999", 2, 20000, certFile, keyFile)
	for _, want := range []string{
		"worker_processes 2;",
		"worker_rlimit_nofile 20000;",
		"worker_connections 20000;",
		"daemon off;",
		"access_log off;",
		"listen 127.0.0.1:19999 ssl backlog=4096;",
		"ssl_protocols TLSv1.3;",
		"ssl_ecdh_curve X25519;",
		"ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256;",
		"ssl_certificate " + certFile + ";",
		"ssl_certificate_key " + keyFile + ";",
		"pid " + filepath.Join(dir, "nginx.pid") + ";",
		`return 200 "Hello, World!";`,
	} {
		if !strings.Contains(conf, want) {
			t.Errorf("config lacks %q:\n%s", want, conf)
		}
	}
	for _, line := range strings.Split(conf, "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && strings.HasSuffix(f[0], "_path") && !strings.HasPrefix(f[1], dir) {
			t.Errorf("%s outside %s", line, dir)
		}
	}
	if _, err := exec.LookPath("nginx"); err != nil {
		t.Skip("no nginx to test the config with")
	}
	name := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(name, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("nginx", "-t", "-e", filepath.Join(dir, "err.log"), "-p", dir, "-c", name).CombinedOutput(); err != nil {
		t.Errorf("nginx -t: %v\n%s", err, out)
	}
}

const wrkHTTPSOut = `Running 1s test @ https://127.0.0.1:19999/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   327.25us    0.91ms  11.91ms   94.89%
    Req/Sec    20.69k     3.85k   26.69k    70.00%
  Latency Distribution
     50%  127.00us
     75%  176.00us
     90%  439.00us
     99%    4.72ms
  20588 requests in 1.00s, 2.55MB read
  Socket errors: connect 0, read 3, write 1, timeout 2
Requests/sec:  20542.29
Transfer/sec:      2.55MB
`

// TestParseWrk reads wrk's report of an https run.
func TestParseWrk(t *testing.T) {
	res, sockErrs, err := parseWrk([]byte(wrkHTTPSOut))
	if err != nil {
		t.Fatal(err)
	}
	if res.rate != 20542.29 || res.total != 20588 || res.p50 != 127*time.Microsecond || res.p99 != 4720*time.Microsecond || sockErrs != 6 {
		t.Errorf("got %+v, %d socket errors", res, sockErrs)
	}
	bad := strings.Replace(wrkHTTPSOut, "Requests/sec", "  Non-2xx or 3xx responses: 17\nRequests/sec", 1)
	if _, _, err := parseWrk([]byte(bad)); err == nil || !strings.Contains(err.Error(), "17 non-2xx") {
		t.Errorf("non-2xx answers: %v", err)
	}
	if _, _, err := parseWrk([]byte("unable to connect to 127.0.0.1:19999 Connection refused\n")); err == nil {
		t.Error("no rate, no error")
	}
}

// TestParseSClient reads what openssl s_client -brief negotiated, in the
// words tlsParams uses.
func TestParseSClient(t *testing.T) {
	out := "Can't use SSL_get_servername\ndepth=0 CN = 127.0.0.1\nverify error:num=18:self-signed certificate\nCONNECTION ESTABLISHED\n" +
		"Protocol version: TLSv1.3\nCiphersuite: TLS_AES_128_GCM_SHA256\nPeer certificate: CN = 127.0.0.1\nHash used: SHA256\n" +
		"Signature type: ECDSA\nVerification error: self-signed certificate\nServer Temp Key: X25519, 253 bits\nDONE\n"
	if got := parseSClient([]byte(out)); got != pinnedParams {
		t.Errorf("got %q, want %q", got, pinnedParams)
	}
	if got := parseSClient([]byte("connect:errno=111\n")); got != "" {
		t.Errorf("a failed connect read as %q", got)
	}
	st := tls.ConnectionState{Version: tls.VersionTLS13, CipherSuite: tls.TLS_AES_128_GCM_SHA256, CurveID: tls.X25519}
	if got := tlsParams(st); got != pinnedParams {
		t.Errorf("tlsParams: %q", got)
	}
}

// TestParseHTTPResponse checks the Go clients' reading of a response.
func TestParseHTTPResponse(t *testing.T) {
	ok := "HTTP/1.1 200 OK\r\nServer: x\r\ncontent-length: 13\r\nDate: now\r\n\r\nHello, World!"
	for i := range len(ok) {
		if n, err := parseHTTPResponse([]byte(ok[:i])); n != 0 || err != nil {
			t.Fatalf("%d bytes: %d, %v", i, n, err)
		}
	}
	if n, err := parseHTTPResponse([]byte(ok + "HTTP/1.1")); n != len(ok) || err != nil {
		t.Errorf("whole: %d, %v", n, err)
	}
	for _, bad := range []string{
		"HTTP/1.1 404 Not Found\r\nContent-Length: 13\r\n\r\nHello, World!",
		"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nHello, World",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nd\r\nHello, World!\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, world!",
	} {
		if _, err := parseHTTPResponse([]byte(bad)); !errors.Is(err, errBadResponse) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// TestProcStat reads a /proc/PID/stat whose command name holds spaces and
// parentheses.
func TestProcStat(t *testing.T) {
	stat := []byte("4242 (nginx: (worker) x) S 4200 4200 4200 0 -1 4194624 500 0 0 0 250 75 0 0 20 0 1 0 100 1000 200")
	if got := parentOf(stat); got != 4200 {
		t.Errorf("parent %d", got)
	}
	if d, err := statCPU(stat); err != nil || d != 3250*time.Millisecond {
		t.Errorf("cpu %v, %v", d, err)
	}
	if got := parentOf([]byte("garbage")); got != -1 {
		t.Errorf("garbage's parent %d", got)
	}
	self, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		t.Fatal(err)
	}
	if got := parentOf(self); got != os.Getppid() {
		t.Errorf("own parent %d, want %d", got, os.Getppid())
	}
}

// TestFloodCounters counts in one mapping and reads in another, as the
// flood process and the driver do.
func TestFloodCounters(t *testing.T) {
	name := filepath.Join(t.TempDir(), "stats")
	drv, err := mapFloodCounters(name, true)
	if err != nil {
		t.Fatal(err)
	}
	fl, err := mapFloodCounters(name, false)
	if err != nil {
		t.Fatal(err)
	}
	fl.handshakes().Add(3)
	fl.errors().Add(1)
	fl.inFlight().Store(9000)
	fl.setFirstError("EOF")
	fl.setFirstError("second")
	if drv.handshakes().Load() != 3 || drv.errors().Load() != 1 || drv.inFlight().Load() != 9000 || drv.firstError() != "EOF" {
		t.Errorf("read %d %d %d %q", drv.handshakes().Load(), drv.errors().Load(), drv.inFlight().Load(), drv.firstError())
	}
}

// TestGoClients runs the Go clients against net/http over crypto/tls with
// the server config of the run: full handshakes, resumed ones (every timed
// connection resumes: the warm-up filled each worker's cache), idle
// connections and the probes on them.
func TestGoClients(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, err := writeSelfSigned(dir)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(netHTTPHello)}
	go srv.Serve(tls.NewListener(ln, serverTLSConfig(cert)))
	defer srv.Close()
	addr := ln.Addr().String()
	for _, resume := range []bool{false, true} {
		cfg, err := clientTLSConfig(certFile, resume)
		if err != nil {
			t.Fatal(err)
		}
		marks := 0
		res, err := handshakeLoad(addr, cfg, 4, 200*time.Millisecond, func() { marks++ })
		if err != nil {
			t.Fatal(err)
		}
		want := int64(0)
		if resume {
			want = res.conns
		}
		if marks != 2 || res.conns == 0 || res.errs != 0 || res.offPin != 0 || res.resumed != want || res.lat.Count() != uint64(res.conns) {
			t.Errorf("resume %v: %d marks, %+v", resume, marks, res)
		}
	}
	cfg, err := clientTLSConfig(certFile, false)
	if err != nil {
		t.Fatal(err)
	}
	conns, err := openIdle(addr, cfg, 20, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll(conns)
	if len(conns) != 20 {
		t.Fatalf("%d idle connections", len(conns))
	}
	pr := probe(conns[:3], 100*time.Millisecond, 5*time.Millisecond)
	if pr.err != nil || pr.lat.Count() < 3 {
		t.Errorf("probes: %d answers, %v", pr.lat.Count(), pr.err)
	}
}

// TestTargets checks the verdicts on the targets: sockloop's rate
// over nginx's per round, its idle memory over nbio's.
func TestTargets(t *testing.T) {
	wrk := tlsWork{name: "https keep-alive 64c", kind: kindWrk, setup: "machine", conns: 64}
	idle := tlsWork{name: "idle 10000 TLS conns", kind: kindIdle, setup: "machine", conns: 10000}
	var samples []tlsSample
	for r, x := range [][3]float64{{100, 90, 50}, {100, 110, 60}, {120, 100, 70}} {
		samples = append(samples,
			tlsSample{work: wrk, impl: "sockloop", round: r, rate: x[0]},
			tlsSample{work: wrk, impl: "nginx", round: r, rate: x[1]},
			tlsSample{work: wrk, impl: "nethttp", round: r, rate: x[2]})
	}
	samples = append(samples,
		tlsSample{work: idle, impl: "sockloop", round: 0, rssBefore: 10000, rssAfter: 50000, conns: 10000},
		tlsSample{work: idle, impl: "nbio", round: 0, rssBefore: 10000, rssAfter: 170000, conns: 10000},
		tlsSample{work: idle, impl: "sockloop", round: 1, detail: "failed"},
		tlsSample{work: idle, impl: "nbio", round: 1, rssBefore: 10000, rssAfter: 90000, conns: 10000})
	ts := indexSamples(samples, tlsImpls).targets()
	if len(ts) != 3 {
		t.Fatalf("%d targets: %+v", len(ts), ts)
	}
	want := []struct {
		median  float64
		verdict string
	}{
		{100.0 / 90, "met by the median, not every round"}, // 1.11, 0.91, 1.2
		{120.0 / 70, "met (every round)"},                  // 2, 1.67, 1.71
		{0.25, "met (every round)"},                        // round 1 failed: left out
	}
	for i, w := range want {
		if m := median(ts[i].ratios); m < w.median-1e-9 || m > w.median+1e-9 || ts[i].verdict() != w.verdict {
			t.Errorf("%s: median %.4f (%v), %q; want %.4f, %q", ts[i].label, m, ts[i].ratios, ts[i].verdict(), w.median, w.verdict)
		}
	}
	if v := (target{ratios: []float64{0.8, 0.9}, limit: 1}).verdict(); v != "**not met**" {
		t.Errorf("below the target: %q", v)
	}
}
