//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// scaleLoops returns N for a scaleN set-up's name, 0 for any other.
func scaleLoops(setupName string) int {
	digits, ok := strings.CutPrefix(setupName, "scale")
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 1 {
		return 0
	}
	return n
}

// scalingRow is one server under one workload across the scale set-ups.
type scalingRow struct {
	workload, impl string
	rates          []float64 // median rate at each of the loop counts, 0 where not run
}

// scalingRows gathers the median rates of every server and workload run
// under two or more scaleN set-ups, by loop count; it returns the loop
// counts in increasing order and nothing when fewer than two were run.
func scalingRows(order []key, res map[key][]sample) ([]int, []scalingRow) {
	var loops []int
	for _, k := range order {
		if n := scaleLoops(k.setup); n > 0 && !slices.Contains(loops, n) {
			loops = append(loops, n)
		}
	}
	if len(loops) < 2 {
		return nil, nil
	}
	slices.Sort(loops)
	var rows []scalingRow
	index := map[[2]string]int{}
	for _, k := range order {
		n := scaleLoops(k.setup)
		if n == 0 {
			continue
		}
		id := [2]string{k.workload, k.impl}
		i, ok := index[id]
		if !ok {
			i = len(rows)
			index[id] = i
			rows = append(rows, scalingRow{workload: k.workload, impl: k.impl, rates: make([]float64, len(loops))})
		}
		var rates []float64
		for _, s := range res[k] {
			if s.rate > 0 {
				rates = append(rates, s.rate)
			}
		}
		rows[i].rates[slices.Index(loops, n)] = median(rates)
	}
	return loops, rows
}

// scaling writes the scaling section of a report (rates by loop count, and
// each as a multiple of the same server's rate at the fewest loops) with its
// chart, when two or more scaleN set-ups were run.
func scaling(b *strings.Builder, dir, stamp string, order []key, res map[key][]sample) error {
	loops, rows := scalingRows(order, res)
	if len(rows) == 0 {
		return nil
	}
	b.WriteString("## scaling: median rate by loop count\n\n")
	fmt.Fprintf(b, "Each scaleN set-up runs N loops on CPUs 0 to N-1 and the load on the CPUs after them. In brackets: the rate as a multiple of the same server's at %d loop(s); N times that would be linear.\n\n", loops[0])
	b.WriteString("| workload | server |")
	for _, n := range loops {
		fmt.Fprintf(b, " %d loops |", n)
	}
	b.WriteString("\n|---|---|")
	for range loops {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	var bars []bar
	for _, r := range rows {
		fmt.Fprintf(b, "| %s | %s |", r.workload, r.impl)
		for i, rate := range r.rates {
			switch {
			case rate == 0:
				b.WriteString(" - |")
			case r.rates[0] > 0:
				x := rate / r.rates[0]
				fmt.Fprintf(b, " %.0f (%.2fx) |", rate, x)
				bars = append(bars, bar{group: fmt.Sprintf("%s, %d loops", r.workload, loops[i]), label: r.impl, value: x})
			default:
				fmt.Fprintf(b, " %.0f |", rate)
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	svg := fmt.Sprintf("compare-%s-scaling.svg", stamp)
	title := fmt.Sprintf("rate at N loops / rate at %d loop(s), each server against itself", loops[0])
	if err := os.WriteFile(filepath.Join(dir, svg), []byte(chart(title, bars)), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(b, "![scaling](%s)\n\n", svg)
	return nil
}
