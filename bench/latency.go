package bench

import (
	"math"
	"math/bits"
	"time"
)

// Latency is a histogram of round-trip times with fixed, log-linear buckets
// in the manner of HdrHistogram: values below 128 ns each have a bucket of
// their own, and every power of two above is split into 64 equal buckets, so
// a quantile is off by less than 1/128 of its value. Recording is an index
// computation and an add, so a load generator can record every request
// without allocating; the zero value is empty and ready to use.
//
// A Latency is used by one goroutine at a time.
type Latency struct {
	counts [latBuckets]uint64
	total  uint64
	max    int64
}

const (
	latSubBits = 6               // 64 buckets per power of two
	latSub     = 1 << latSubBits // values below 2*latSub are exact
	// latBuckets covers every non-negative int64: the largest shift is
	// 63 - latSubBits, and v>>shift < 2*latSub.
	latBuckets = (63-latSubBits)*latSub + 2*latSub
)

// latIndex returns the bucket of v (>= 0).
func latIndex(v int64) int {
	u := uint64(v)
	if u < 2*latSub {
		return int(u)
	}
	shift := bits.Len64(u) - latSubBits - 1
	return shift*latSub + int(u>>shift)
}

// latBounds returns the lowest value of bucket i and the bucket's width.
func latBounds(i int) (low, width int64) {
	if i < 2*latSub {
		return int64(i), 1
	}
	shift := i/latSub - 1
	return int64(i-shift*latSub) << shift, 1 << shift
}

// Record adds n requests that took d each (negative d counts as 0).
func (h *Latency) Record(d time.Duration, n int) {
	v := max(int64(d), 0)
	h.counts[latIndex(v)] += uint64(n)
	h.total += uint64(n)
	h.max = max(h.max, v)
}

// Count returns the number of requests recorded.
func (h *Latency) Count() uint64 { return h.total }

// Max returns the largest time recorded.
func (h *Latency) Max() time.Duration { return time.Duration(h.max) }

// Quantile returns the time within which the fraction q (0 < q <= 1) of the
// recorded requests completed: the smallest bucket holding the ceil(q*count)-th
// smallest value, as the middle of that bucket (never above Max). It returns
// 0 for an empty histogram.
func (h *Latency) Quantile(q float64) time.Duration {
	if h.total == 0 {
		return 0
	}
	rank := min(max(ceilRank(q, h.total), 1), h.total)
	var seen uint64
	for i, c := range h.counts {
		if seen += c; seen >= rank {
			low, width := latBounds(i)
			return time.Duration(min(low+width/2, h.max))
		}
	}
	return time.Duration(h.max)
}

// ceilRank is ceil(q*n), forgiving the rounding of q*n in floating point
// (0.29*100 is 28.999999999999996).
func ceilRank(q float64, n uint64) uint64 {
	x := q * float64(n)
	return uint64(math.Ceil(x - x*1e-12))
}

// Merge adds the counts of o to h.
func (h *Latency) Merge(o *Latency) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.total += o.total
	h.max = max(h.max, o.max)
}

// Reset empties the histogram.
func (h *Latency) Reset() { *h = Latency{} }
