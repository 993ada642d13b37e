//go:build linux

package main

import (
	"bytes"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestIOCopyProxyRelays sends 1 MB of random bytes through the io.Copy
// proxy to an echo upstream and checks that every byte comes back in order,
// and that the client's half-close reaches the upstream (whose own
// half-close, after its last echoed byte, ends the client's read).
func TestIOCopyProxyRelays(t *testing.T) {
	up, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	sawEOF := make(chan int64, 1)
	go func() {
		c, err := up.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		n, _ := io.Copy(c, c) // echo until the proxy passes the client's FIN on
		sawEOF <- n
		c.(*net.TCPConn).CloseWrite()
	}()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go ioCopyProxy(ln, up.Addr().String())

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	want := make([]byte, 1<<20)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range want {
		want[i] = byte(r.Uint32())
	}
	go func() {
		c.Write(want)
		c.(*net.TCPConn).CloseWrite()
	}()
	got, err := io.ReadAll(c) // ends at the upstream's FIN, passed back
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("got %d bytes back, want %d, equal prefix %d", len(got), len(want), commonPrefix(got, want))
	}
	select {
	case n := <-sawEOF:
		if n != int64(len(want)) {
			t.Errorf("upstream read %d bytes before EOF, want %d", n, len(want))
		}
	case <-time.After(5 * time.Second):
		t.Error("upstream never saw the client's half-close")
	}
}

func commonPrefix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// TestProxyReport checks the proxy report's plumbing: ratios against
// haproxy, files named proxy-*, the bulk rows in Gbit/s and CPU s/GB
// against iocopy, the churn rows in connections/s with the client's and
// the upstream's CPU, and that the report subcommand renders the same from
// the raw CSV.
func TestProxyReport(t *testing.T) {
	dir := t.TempDir()
	small, bulk, churn := proxyWorkloads[0], proxyWorkloads[2], proxyWorkloads[3]
	if !churn.churn {
		t.Fatalf("workload %q is not the churn one", churn.name)
	}
	order := []key{
		{"percore", small.name, "haproxy"}, {"percore", small.name, "sockloop"},
		{"machine", bulk.name, "haproxy"}, {"machine", bulk.name, "iocopy"}, {"machine", bulk.name, "sockloop"},
		{"percore", churn.name, "haproxy"}, {"percore", churn.name, "sockloop"},
	}
	const us = time.Microsecond
	res := map[key][]sample{
		order[0]: {{rate: 100000, cpuPer: 10000}, {rate: 100000, cpuPer: 10000}},
		order[1]: {{rate: 120000, cpuPer: 8000}, {rate: 140000, cpuPer: 9000}},
		order[2]: {{rate: 1000, cpuPer: 400000}, {rate: 1000, cpuPer: 400000}},
		order[3]: {{rate: 1250, cpuPer: 250000}, {rate: 1250, cpuPer: 250000}},
		order[4]: {{rate: 1500, cpuPer: 200000}, {rate: 1500, cpuPer: 200000}},
		order[5]: {{rate: 10000, cpuPer: 50 * us, loadPer: 20 * us, upPer: 30 * us}, {rate: 10000, cpuPer: 50 * us, loadPer: 20 * us, upPer: 30 * us}},
		order[6]: {{rate: 12000, cpuPer: 40 * us, loadPer: 20 * us, upPer: 30 * us}, {rate: 14000, cpuPer: 40 * us, loadPer: 20 * us, upPer: 30 * us}},
	}
	m := proxyMeta(meta{dur: time.Second, rounds: 2})
	m.tail = proxyTail(order, res)
	if err := renderReport(dir, "stamp", order, res, nil, m); err != nil {
		t.Fatal(err)
	}
	check := func(name string) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range []string{
			"| rate vs haproxy |",
			"| proxy 100c 64B pingpong | sockloop | 130000 | 1.30 [1.20..1.40] | 8500 | 0.85 [0.80..0.90] |",
			"| sockloop | 12.00 | 0.200 | 0.80 [0.80..0.80] |",
			"| haproxy | 8.00 | 0.400 | 1.60 [1.60..1.60] |",
			"| proxy churn 64c 64B (op = 1 conn) | sockloop | 13000 | 1.30 [1.20..1.40] | 40000 | 0.80 [0.80..0.80] |",
			"| percore | haproxy | 10000 | 50.00 | 0.50 | 20.00 | 30.00 | 0.50 |",
			"| percore | sockloop | 13000 | 40.00 | 0.52 | 20.00 | 30.00 | 0.65 |",
		} {
			if !strings.Contains(string(b), row) {
				t.Errorf("%s lacks %q:\n%s", name, row, b)
			}
		}
	}
	check("proxy-stamp.md")
	for _, svg := range []string{"proxy-stamp-percore.svg", "proxy-stamp-machine-cpu.svg"} {
		if _, err := os.Stat(filepath.Join(dir, svg)); err != nil {
			t.Error(err)
		}
	}

	// The raw samples render to the same report.
	again := filepath.Join(dir, "again")
	os.Mkdir(again, 0o755)
	if err := writeCSV(filepath.Join(again, "proxy-stamp.csv"), order, res, nil); err != nil {
		t.Fatal(err)
	}
	if err := reportMain([]string{"-in", filepath.Join(again, "proxy-stamp.csv"), "-dur", "1s"}); err != nil {
		t.Fatal(err)
	}
	dir = again
	check("proxy-stamp.md")
}

func TestParseIperf(t *testing.T) {
	mb, secs, err := parseIperf([]byte(`{"start":{},"end":{"sum_received":{"start":0,"end":2.0,"seconds":2.0,"bytes":3000000000,"bits_per_second":1.2e10}}}`))
	if err != nil || mb != 3000 || secs != 2 {
		t.Errorf("got %v MB over %v s, %v", mb, secs, err)
	}
	if _, _, err := parseIperf([]byte(`{"start":{},"end":{},"error":"unable to connect to server"}`)); err == nil || !strings.Contains(err.Error(), "unable to connect") {
		t.Errorf("error: %v", err)
	}
}
