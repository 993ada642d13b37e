//go:build linux

package main

import (
	"flag"
	"fmt"
	"net/netip"
	"time"

	"github.com/sockloop/sockloop/bench"
)

// loadMain is the "load" subcommand: a fixed number of echo messages against
// a server started by hand, for profiling it (strace -c, perf stat) on an
// exact count rather than a duration; with -churn, short connections for a
// while instead.
func loadMain(args []string) error {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:9000", "echo server")
	conns := fs.Int("conns", 100, "connections")
	size := fs.Int("size", 64, "message bytes")
	depth := fs.Int("depth", 1, "messages in flight per connection")
	n := fs.Int("n", 100000, "messages after the warm-up")
	churn := fs.Duration("churn", 0, "instead: short connections (connect, 64 B echoed, close), -conns in flight, for this long")
	fs.Parse(args)
	if *churn > 0 {
		return churnMain(*addr, *conns, *churn)
	}
	c, err := bench.Dial(netip.MustParseAddrPort(*addr), *conns, *size, *depth)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Run(*conns * *depth * 4); err != nil {
		return err
	}
	c.Latency().Reset()
	start := time.Now()
	if err := c.Run(*n); err != nil {
		return err
	}
	took := time.Since(start)
	lat := c.Latency()
	fmt.Printf("%d messages in %v: %.0f/s, p50 %v, p99 %v\n", *n, took.Round(time.Millisecond), float64(*n)/took.Seconds(),
		lat.Quantile(0.50), lat.Quantile(0.99))
	return nil
}

// churnMain runs the churn load against addr for dur, conns connections in
// flight on one unpinned client, and prints the rate and the client's CPU
// per connection.
func churnMain(addr string, conns int, dur time.Duration) error {
	var self [2]time.Duration
	n := 0
	mark := func() { self[n] = selfCPU(); n++ }
	done, took, p50, p99, err := churnLoad(addr, conns, nil, dur, mark)
	if err != nil {
		return err
	}
	fmt.Printf("%d connections in %v: %.0f/s, client CPU %.2f us/conn, p50 %v, p99 %v\n", done, took.Round(time.Millisecond),
		float64(done)/took.Seconds(), float64((self[1]-self[0])/time.Duration(done))/1e3, p50, p99)
	return nil
}
