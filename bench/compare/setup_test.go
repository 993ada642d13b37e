//go:build linux

package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLookupSetup(t *testing.T) {
	for _, tc := range []struct {
		name           string
		ncpu           int
		loops          int
		server, client []int
	}{
		{"percore", 2, 1, []int{0}, []int{1}},
		{"machine", 2, 2, nil, nil},
		{"scale1", 2, 1, []int{0}, []int{1}},
		{"scale4", 16, 4, []int{0, 1, 2, 3}, []int{4, 5, 6, 7}},
		{"scale8", 16, 8, []int{0, 1, 2, 3, 4, 5, 6, 7}, []int{8, 9, 10, 11, 12, 13, 14, 15}},
		{"scale8", 12, 8, []int{0, 1, 2, 3, 4, 5, 6, 7}, []int{8, 9, 10, 11}},
	} {
		s, err := lookupSetup(tc.name, tc.ncpu)
		if err != nil {
			t.Fatalf("%s on %d CPUs: %v", tc.name, tc.ncpu, err)
		}
		if s.loops != tc.loops || !slices.Equal(s.serverCPUs, tc.server) || !slices.Equal(s.clientCPUs, tc.client) {
			t.Errorf("%s on %d CPUs: loops %d, server %v, client %v; want %d, %v, %v",
				tc.name, tc.ncpu, s.loops, s.serverCPUs, s.clientCPUs, tc.loops, tc.server, tc.client)
		}
	}
	for _, tc := range []struct {
		name string
		ncpu int
		want string
	}{
		{"scale2", 2, "needs at least 3 CPUs"},
		{"scale0", 16, "no set-up"},
		{"scalex", 16, "no set-up"},
		{"whole", 16, "no set-up"},
	} {
		if _, err := lookupSetup(tc.name, tc.ncpu); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s on %d CPUs: err %v, want one saying %q", tc.name, tc.ncpu, err, tc.want)
		}
	}
}

func TestCPUList(t *testing.T) {
	if got := cpuList([]int{8, 9, 15}); got != "8,9,15" {
		t.Errorf("cpuList = %q", got)
	}
}

func TestScalingSection(t *testing.T) {
	order := []key{
		{"percore", "echo", "sockloop"},
		{"scale1", "echo", "sockloop"}, {"scale1", "echo", "gnet"},
		{"scale2", "echo", "sockloop"}, {"scale2", "echo", "gnet"},
		{"scale4", "echo", "sockloop"},
	}
	res := map[key][]sample{
		order[0]: {{rate: 999}},
		order[1]: {{rate: 100}, {rate: 110}, {rate: 90}},
		order[2]: {{rate: 80}},
		order[3]: {{rate: 190}, {rate: 0}, {rate: 210}}, // a failed round is left out
		order[4]: {{rate: 120}},
		order[5]: {{rate: 350}},
	}
	loops, rows := scalingRows(order, res)
	if !slices.Equal(loops, []int{1, 2, 4}) {
		t.Fatalf("loops %v", loops)
	}
	want := []scalingRow{
		{"echo", "sockloop", []float64{100, 200, 350}},
		{"echo", "gnet", []float64{80, 120, 0}},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %+v", rows)
	}
	for i := range want {
		if rows[i].workload != want[i].workload || rows[i].impl != want[i].impl || !slices.Equal(rows[i].rates, want[i].rates) {
			t.Errorf("row %d: %+v, want %+v", i, rows[i], want[i])
		}
	}
	dir := t.TempDir()
	var b strings.Builder
	if err := scaling(&b, dir, "stamp", order, res); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"| echo | sockloop | 100 (1.00x) | 200 (2.00x) | 350 (3.50x) |",
		"| echo | gnet | 80 (1.00x) | 120 (1.50x) | - |",
		"![scaling](compare-stamp-scaling.svg)",
	} {
		if !strings.Contains(b.String(), line) {
			t.Errorf("section lacks %q:\n%s", line, b.String())
		}
	}
	svg, err := os.ReadFile(filepath.Join(dir, "compare-stamp-scaling.svg"))
	if err != nil || !strings.Contains(string(svg), "<svg") {
		t.Errorf("chart: %v, %.60q", err, svg)
	}
}

func TestScalingNeedsTwoLoopCounts(t *testing.T) {
	order := []key{{"scale1", "echo", "sockloop"}, {"percore", "echo", "sockloop"}}
	res := map[key][]sample{order[0]: {{rate: 1}}, order[1]: {{rate: 1}}}
	var b strings.Builder
	if err := scaling(&b, t.TempDir(), "stamp", order, res); err != nil || b.Len() != 0 {
		t.Errorf("one loop count: err %v, section %q", err, b.String())
	}
}

func TestMedianSys(t *testing.T) {
	got, ok := medianSys([]sample{{sysPer: 2.3}, {sysPer: 0}, {sysPer: 2.0}, {sysPer: 2.1, sysCalls: "mid"}})
	if !ok || got.sysCalls != "mid" {
		t.Errorf("medianSys = %+v, %v; want the 2.1 run", got, ok)
	}
	if _, ok := medianSys([]sample{{sysPer: 0}}); ok {
		t.Error("medianSys found a count in a run without one")
	}
}

// TestPickVariants checks that variants run only when named, after the
// server they vary, and only in workloads that have them.
func TestPickVariants(t *testing.T) {
	echo, http := workloads[0], workloads[3]
	if got := pick(implsFor(echo), "", echo.serves); !slices.Equal(got, implsFor(echo)) {
		t.Errorf("no -impls: %v", got)
	}
	got := pick(implsFor(echo), "sockloop-uring,sockloop-uring-raw-pool,sockloop-uring-coop,c", echo.serves)
	if want := []string{"sockloop", "sockloop-uring-raw-pool", "sockloop-uring", "sockloop-uring-coop", "c"}; !slices.Equal(got, want) {
		t.Errorf("echo: %v, want %v", got, want)
	}
	got = pick(implsFor(http), "sockloop-uring-raw-pool,sockloop-uring-raw", http.serves)
	if want := []string{"sockloop", "sockloop-uring-raw"}; !slices.Equal(got, want) {
		t.Errorf("http: %v, want %v", got, want)
	}
	got = pick(implsFor(http), "nethttp,sockloop-nethttp,sockloop-uring-nethttp", http.serves)
	if want := []string{"sockloop", "sockloop-nethttp", "nethttp", "sockloop-uring-nethttp"}; !slices.Equal(got, want) {
		t.Errorf("http, net/http servers: %v, want %v", got, want)
	}
	if got := pick(implsFor(echo), "nethttp", echo.serves); !slices.Equal(got, []string{"sockloop"}) {
		t.Errorf("echo, net/http servers: %v, want sockloop alone", got)
	}
}
