//go:build linux

package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The raw samples go to compare-<stamp>.csv beside the report, one row per
// run: setup, workload, impl, round, rate, cpu_ns, p50_ns, p99_ns,
// sys_per_op, sys_calls, load_ns, up_ns. The runs with system calls counted have
// round "sys" (the only ones with sys_per_op and sys_calls filled). The
// "report" subcommand renders a report again from such a file; files from
// before the last four columns read as well.

var csvHeader = []string{"setup", "workload", "impl", "round", "rate", "cpu_ns", "p50_ns", "p99_ns", "sys_per_op", "sys_calls", "load_ns", "up_ns"}

func writeCSV(name string, order []key, res map[key][]sample, sys map[key][]sample) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(csvHeader)
	row := func(k key, round string, s sample) {
		w.Write([]string{k.setup, k.workload, k.impl, round, fmt.Sprintf("%.0f", s.rate),
			strconv.FormatInt(int64(s.cpuPer), 10), strconv.FormatInt(int64(s.p50), 10), strconv.FormatInt(int64(s.p99), 10),
			strconv.FormatFloat(s.sysPer, 'f', 3, 64), s.sysCalls, strconv.FormatInt(int64(s.loadPer), 10),
			strconv.FormatInt(int64(s.upPer), 10)})
	}
	for _, k := range order {
		for r, s := range res[k] {
			row(k, strconv.Itoa(r), s)
		}
		for _, s := range sys[k] {
			row(k, "sys", s)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readCSV(name string) (order []key, res map[key][]sample, sys map[key][]sample, rounds int, err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1 // older files have 8 columns
	rows, err := r.ReadAll()
	if err != nil {
		return nil, nil, nil, 0, err
	}
	res, sys = map[key][]sample{}, map[key][]sample{}
	for _, row := range rows[1:] {
		if len(row) < 8 {
			return nil, nil, nil, 0, fmt.Errorf("%s: a row of %d fields", name, len(row))
		}
		k := key{row[0], row[1], row[2]}
		if _, ok := res[k]; !ok {
			order = append(order, k)
			res[k] = nil
		}
		num := func(i int) float64 {
			if i >= len(row) {
				return 0
			}
			v, _ := strconv.ParseFloat(row[i], 64)
			return v
		}
		s := sample{rate: num(4), cpuPer: time.Duration(num(5)), p50: time.Duration(num(6)), p99: time.Duration(num(7)), sysPer: num(8), loadPer: time.Duration(num(10)), upPer: time.Duration(num(11))}
		if len(row) > 9 {
			s.sysCalls = row[9]
		}
		if row[3] == "sys" {
			sys[k] = append(sys[k], s)
			continue
		}
		res[k] = append(res[k], s)
		rounds = max(rounds, len(res[k]))
	}
	return order, res, sys, rounds, nil
}

// reportMain is the "report" subcommand: render a report from a raw CSV.
func reportMain(args []string) error {
	fs := flag.NewFlagSet("report", flag.ExitOnError)
	in := fs.String("in", "", "raw samples (compare-<stamp>.csv)")
	dur := fs.Duration("dur", 3*time.Second, "the run's -dur, for the header")
	note := fs.String("note", "", "a line for the report's header")
	source := fs.String("source", "", "the sockloop code the run measured, for the header")
	fs.Parse(args)
	order, res, sys, rounds, err := readCSV(*in)
	if err != nil {
		return err
	}
	m := meta{dur: *dur, rounds: rounds, note: *note, source: *source}
	prefix, stamp, _ := strings.Cut(strings.TrimSuffix(filepath.Base(*in), ".csv"), "-")
	if prefix == "proxy" { // the proxy workload's, against HAProxy
		m = proxyMeta(m)
		m.tail = proxyTail(order, res)
	}
	return renderReport(filepath.Dir(*in), stamp, order, res, sys, m)
}
