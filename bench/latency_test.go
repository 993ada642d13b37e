package bench

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestLatencyBuckets checks that every value lands in a bucket that holds
// it, that the buckets are contiguous and ordered, and that none is wider
// than 1/64 of its lowest value (so the middle is within 1/128).
func TestLatencyBuckets(t *testing.T) {
	vals := []int64{0, 1, 127, 128, 129, 255, 256, 1000, 1 << 20, 1<<40 + 12345, 1<<62 + 1, 1<<63 - 1}
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		vals = append(vals, r.Int64N(1<<uint(r.IntN(62)+1)))
	}
	for _, v := range vals {
		i := latIndex(v)
		if i < 0 || i >= latBuckets {
			t.Fatalf("latIndex(%d) = %d, out of [0, %d)", v, i, latBuckets)
		}
		low, width := latBounds(i)
		if v < low || v-low >= width {
			t.Fatalf("value %d in bucket %d = [%d, %d+%d)", v, i, low, low, width)
		}
		if width > 1 && width*64 > low {
			t.Fatalf("bucket %d = [%d, +%d) is wider than 1/64 of its low end", i, low, width)
		}
	}
	for i := 1; i < latIndex(1<<63-1); i++ {
		low, _ := latBounds(i)
		plow, pwidth := latBounds(i - 1)
		if plow+pwidth != low {
			t.Fatalf("bucket %d starts at %d, bucket %d ends at %d", i, low, i-1, plow+pwidth)
		}
	}
}

// TestLatencyQuantiles records known distributions and checks the quantiles
// against the exact ones computed from the sorted values.
func TestLatencyQuantiles(t *testing.T) {
	uniform := make([]time.Duration, 1000) // 1 µs .. 1000 µs
	for i := range uniform {
		uniform[i] = time.Duration(i+1) * time.Microsecond
	}
	tail := make([]time.Duration, 100) // 98 fast, 2 slow
	for i := range tail {
		tail[i] = 50 * time.Microsecond
	}
	tail[17], tail[80] = 20*time.Millisecond, 30*time.Millisecond
	r := rand.New(rand.NewPCG(3, 4))
	random := make([]time.Duration, 50000)
	for i := range random {
		random[i] = time.Duration(r.ExpFloat64() * float64(200*time.Microsecond))
	}
	for _, tc := range []struct {
		name   string
		values []time.Duration
		q      float64
		want   time.Duration // exact; the histogram may be off by 1/128
	}{
		{name: "uniform p50", values: uniform, q: 0.50, want: 500 * time.Microsecond},
		{name: "uniform p99", values: uniform, q: 0.99, want: 990 * time.Microsecond},
		{name: "uniform p100", values: uniform, q: 1, want: 1000 * time.Microsecond},
		{name: "uniform p0.1", values: uniform, q: 0.001, want: time.Microsecond},
		{name: "tail p50", values: tail, q: 0.50, want: 50 * time.Microsecond},
		{name: "tail p98", values: tail, q: 0.98, want: 50 * time.Microsecond},
		{name: "tail p99", values: tail, q: 0.99, want: 20 * time.Millisecond},
		{name: "tail p100", values: tail, q: 1, want: 30 * time.Millisecond},
		{name: "exact small p50", values: []time.Duration{3, 1, 2, 5, 4}, q: 0.5, want: 3},
		{name: "exact small p99", values: []time.Duration{3, 1, 2, 5, 4}, q: 0.99, want: 5},
		{name: "one value", values: []time.Duration{7 * time.Second}, q: 0.5, want: 7 * time.Second},
		{name: "random p50", values: random, q: 0.50, want: exactQuantile(random, 0.50)},
		{name: "random p99", values: random, q: 0.99, want: exactQuantile(random, 0.99)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h Latency
			for _, v := range tc.values {
				h.Record(v, 1)
			}
			got := h.Quantile(tc.q)
			if !near(got, tc.want) {
				t.Errorf("Quantile(%v) = %v, want %v within 1/128", tc.q, got, tc.want)
			}
			if h.Count() != uint64(len(tc.values)) {
				t.Errorf("Count = %d, want %d", h.Count(), len(tc.values))
			}
		})
	}
}

// near reports whether got is within 1/128 of want.
func near(got, want time.Duration) bool {
	d := got - want
	return -want/128 <= d && d <= want/128
}

// exactQuantile is the ceil(q*n)-th smallest of xs.
func exactQuantile(xs []time.Duration, q float64) time.Duration {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[max(ceilRank(q, uint64(len(s))), 1)-1]
}

// TestLatencyWeightsMergeReset checks that a batch recorded with a count
// weighs as that many requests, that Merge adds and Reset empties.
func TestLatencyWeightsMergeReset(t *testing.T) {
	var a, b Latency
	a.Record(10*time.Microsecond, 90)
	b.Record(time.Millisecond, 10)
	if got := a.Quantile(0.99); got != 10*time.Microsecond {
		t.Errorf("p99 of one batch = %v, want 10µs (the bucket's middle is above Max)", got)
	}
	a.Merge(&b)
	if a.Count() != 100 || a.Max() != time.Millisecond {
		t.Fatalf("merged: count %d max %v, want 100 and 1ms", a.Count(), a.Max())
	}
	if got := a.Quantile(0.90); !near(got, 10*time.Microsecond) {
		t.Errorf("p90 = %v, want 10µs", got)
	}
	if got := a.Quantile(0.91); !near(got, time.Millisecond) {
		t.Errorf("p91 = %v, want 1ms", got)
	}
	a.Record(-5, 1) // a clock that went backwards counts as 0
	if got := a.Quantile(0.001); got != 0 {
		t.Errorf("p0.1 with a negative sample = %v, want 0", got)
	}
	a.Reset()
	if a.Count() != 0 || a.Quantile(0.5) != 0 || a.Max() != 0 {
		t.Errorf("after Reset: count %d, p50 %v, max %v", a.Count(), a.Quantile(0.5), a.Max())
	}
}

// TestLatencyRecordAllocatesNothing checks the hot path.
func TestLatencyRecordAllocatesNothing(t *testing.T) {
	h := new(Latency)
	if n := testing.AllocsPerRun(100, func() { h.Record(123*time.Microsecond, 16) }); n != 0 {
		t.Errorf("Record allocates %v times", n)
	}
}
