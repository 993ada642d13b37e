//go:build linux

package main

import (
	"cmp"
	"slices"
	"time"
)

// median of xs (0 for none); the mean of the middle two for an even count.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// ratios returns f(a[i]) / f(b[i]) for each round where both are non-zero.
func ratios(a, b []sample, f func(sample) float64) []float64 {
	var out []float64
	for i := range min(len(a), len(b)) {
		if x, y := f(a[i]), f(b[i]); x > 0 && y > 0 {
			out = append(out, x/y)
		}
	}
	return out
}

func rateOf(s sample) float64 { return s.rate }
func cpuOf(s sample) float64  { return float64(s.cpuPer) }

// busyOf is how many CPUs the server kept busy: ops per second times CPU
// seconds per op.
func busyOf(s sample) float64 { return s.rate * s.cpuPer.Seconds() }

// medianDur is the median of one duration field over the rounds that have
// it (a run that failed, or a wrk report without the line, leaves it 0).
func medianDur(xs []sample, f func(sample) time.Duration) time.Duration {
	var v []float64
	for _, x := range xs {
		if d := f(x); d > 0 {
			v = append(v, float64(d))
		}
	}
	return time.Duration(median(v))
}

// medianSys returns the counted run with the median system calls per op (the
// lower middle one of an even count); false if none has a count.
func medianSys(xs []sample) (sample, bool) {
	var counted []sample
	for _, x := range xs {
		if x.sysPer > 0 {
			counted = append(counted, x)
		}
	}
	if len(counted) == 0 {
		return sample{}, false
	}
	slices.SortFunc(counted, func(a, b sample) int { return cmp.Compare(a.sysPer, b.sysPer) })
	return counted[(len(counted)-1)/2], true
}
