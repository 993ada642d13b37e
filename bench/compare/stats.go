//go:build linux

package main

import (
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
