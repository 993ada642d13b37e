//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCSVKeepsLoadCPU checks that the load generator's CPU per op survives
// the raw CSV, and that a file from before that column reads as unmeasured.
func TestCSVKeepsLoadCPU(t *testing.T) {
	dir := t.TempDir()
	k := key{"machine", "http", "sockloop"}
	res := map[key][]sample{k: {
		{rate: 1000, cpuPer: 600, loadPer: 700},
		{rate: 1100, cpuPer: 550, loadPer: 650},
	}}
	name := filepath.Join(dir, "compare-new.csv")
	if err := writeCSV(name, []key{k}, res, nil); err != nil {
		t.Fatal(err)
	}
	_, got, _, rounds, err := readCSV(name)
	if err != nil {
		t.Fatal(err)
	}
	if rounds != 2 || got[k][0].loadPer != 700 || got[k][1].loadPer != 650 || got[k][1].cpuPer != 550 {
		t.Errorf("read back %+v, %d rounds", got[k], rounds)
	}

	old := filepath.Join(dir, "compare-old.csv")
	text := "setup,workload,impl,round,rate,cpu_ns,p50_ns,p99_ns,sys_per_op,sys_calls\n" +
		"machine,http,sockloop,0,1000,600,0,0,0.000,\n"
	if err := os.WriteFile(old, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, got, _, _, err = readCSV(old)
	if err != nil {
		t.Fatal(err)
	}
	if s := got[k][0]; s.loadPer != 0 || s.cpuPer != 600 {
		t.Errorf("old file read as %+v", s)
	}
}

// TestReportLoadColumn checks that the table shows the median load CPU per
// op, and a dash where a file has none.
func TestReportLoadColumn(t *testing.T) {
	dir := t.TempDir()
	measured := key{"machine", "http 256c pipeline16", "sockloop"}
	unmeasured := key{"percore", "echo 100c 64B pingpong", "sockloop"}
	res := map[key][]sample{
		measured:   {{rate: 1e6, cpuPer: 600, loadPer: 700}, {rate: 9e5, cpuPer: 640, loadPer: 900}, {rate: 1.1e6, cpuPer: 500, loadPer: 800}},
		unmeasured: {{rate: 1e5, cpuPer: 7000}},
	}
	m := meta{dur: time.Second, rounds: 3}
	if err := renderReport(dir, "stamp", []key{unmeasured, measured}, res, nil, m); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "compare-stamp.md"))
	if err != nil {
		t.Fatal(err)
	}
	report := string(b)
	for _, row := range []string{
		"| http 256c pipeline16 | sockloop | 1000000 | 1.00 [1.00..1.00] | 600 | 1.00 [1.00..1.00] | 0.58 | 800 |",
		"| echo 100c 64B pingpong | sockloop | 100000 | 1.00 [1.00..1.00] | 7000 | 1.00 [1.00..1.00] | 0.70 | - |",
	} {
		if !strings.Contains(report, row) {
			t.Errorf("report lacks %q:\n%s", row, report)
		}
	}
}

// TestSelfCPUCounts checks that the echo client's CPU, read from this
// process's usage, grows with work done.
func TestSelfCPUCounts(t *testing.T) {
	before := selfCPU()
	x := uint64(1)
	for start := time.Now(); time.Since(start) < 50*time.Millisecond; {
		for range 1000 {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	if after := selfCPU(); after <= before {
		t.Errorf("CPU %v then %v after a busy 50 ms (%d)", before, after, x)
	}
}

// TestRedisReportBusy checks that the redis report shows which side kept
// its CPU busy, so a reader can tell a run the client paced.
func TestRedisReportBusy(t *testing.T) {
	dir := t.TempDir()
	res := map[redisKey][]redisSample{}
	for _, cmd := range []string{"SET", "GET"} {
		res[redisKey{1, cmd, "redis-server"}] = []redisSample{{rate: 80000, cpuPer: 9000, srvBusy: 0.70, cliBusy: 0.97}}
		res[redisKey{1, cmd, "sockloop"}] = []redisSample{{rate: 88000, cpuPer: 8000, srvBusy: 0.66, cliBusy: 0.96}}
		res[redisKey{16, cmd, "redis-server"}] = []redisSample{{rate: 1.4e6, cpuPer: 700, srvBusy: 0.93, cliBusy: 0.95}}
		res[redisKey{16, cmd, "sockloop"}] = []redisSample{{rate: 1.3e6, cpuPer: 530, srvBusy: 0.70, cliBusy: 0.95}}
	}
	if err := writeRedisReport(dir, []string{"redis-server", "sockloop"}, res, 1, 200000, 2000000, "", "test"); err != nil {
		t.Fatal(err)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "redis-*.md"))
	if len(names) != 1 {
		t.Fatalf("reports %v", names)
	}
	b, err := os.ReadFile(names[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range []string{
		"| -P 1 | SET | sockloop | 88000 | 1.10 [1.10..1.10] | 0s | 8000 | 0.89 [0.89..0.89] | 0.66 / 0.96 |",
		"| -P 16 | GET | redis-server | 1400000 | 1.00 [1.00..1.00] | 0s | 700 | 1.00 [1.00..1.00] | 0.93 / 0.95 |",
	} {
		if !strings.Contains(string(b), row) {
			t.Errorf("report lacks %q:\n%s", row, b)
		}
	}
	csv, _ := filepath.Glob(filepath.Join(dir, "redis-*.csv"))
	if len(csv) != 1 {
		t.Fatalf("raw samples %v", csv)
	}
	raw, _ := os.ReadFile(csv[0])
	if !strings.Contains(string(raw), "16,SET,sockloop,0,1300000.00,0,530,0.700,0.950") {
		t.Errorf("raw samples:\n%s", raw)
	}
}
