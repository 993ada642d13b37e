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
// exact count rather than a duration.
func loadMain(args []string) error {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:9000", "echo server")
	conns := fs.Int("conns", 100, "connections")
	size := fs.Int("size", 64, "message bytes")
	depth := fs.Int("depth", 1, "messages in flight per connection")
	n := fs.Int("n", 100000, "messages after the warm-up")
	fs.Parse(args)
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
