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
// run: setup, workload, impl, round, rate, cpu_ns, p50_ns, p99_ns. The
// "report" subcommand renders a report again from such a file.

var csvHeader = []string{"setup", "workload", "impl", "round", "rate", "cpu_ns", "p50_ns", "p99_ns"}

func writeCSV(name string, order []key, res map[key][]sample) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(csvHeader)
	for _, k := range order {
		for r, s := range res[k] {
			w.Write([]string{k.setup, k.workload, k.impl, strconv.Itoa(r), fmt.Sprintf("%.0f", s.rate),
				strconv.FormatInt(int64(s.cpuPer), 10), strconv.FormatInt(int64(s.p50), 10), strconv.FormatInt(int64(s.p99), 10)})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readCSV(name string) (order []key, res map[key][]sample, rounds int, err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, 0, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, nil, 0, err
	}
	res = map[key][]sample{}
	for _, row := range rows[1:] {
		k := key{row[0], row[1], row[2]}
		if _, ok := res[k]; !ok {
			order = append(order, k)
		}
		num := func(i int) float64 { v, _ := strconv.ParseFloat(row[i], 64); return v }
		res[k] = append(res[k], sample{rate: num(4), cpuPer: time.Duration(num(5)), p50: time.Duration(num(6)), p99: time.Duration(num(7))})
		rounds = max(rounds, len(res[k]))
	}
	return order, res, rounds, nil
}

// reportMain is the "report" subcommand: render a report from a raw CSV.
func reportMain(args []string) error {
	fs := flag.NewFlagSet("report", flag.ExitOnError)
	in := fs.String("in", "", "raw samples (compare-<stamp>.csv)")
	dur := fs.Duration("dur", 3*time.Second, "the run's -dur, for the header")
	note := fs.String("note", "", "a line for the report's header")
	source := fs.String("source", "", "the sockloop code the run measured, for the header")
	fs.Parse(args)
	order, res, rounds, err := readCSV(*in)
	if err != nil {
		return err
	}
	stamp := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(*in), "compare-"), ".csv")
	return renderReport(filepath.Dir(*in), stamp, order, res, meta{dur: *dur, rounds: rounds, note: *note, source: *source})
}
