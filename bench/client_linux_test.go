//go:build linux

package bench

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"
)

// TestClientEchoes runs the client against every server with pipelines deep
// and shallow, small and large messages, and checks the echoed counts.
func TestClientEchoes(t *testing.T) {
	for _, sk := range serverKinds() {
		for _, size := range []int{1, 64, 4096, 100000} {
			for _, depth := range []int{1, 16} {
				t.Run(fmt.Sprintf("server=%s/size=%d/depth=%d", sk.name, size, depth), func(t *testing.T) {
					srv := startServer(t, sk)
					c, err := Dial(srv.Addr(), 8, size, depth)
					if err != nil {
						t.Fatal(err)
					}
					defer c.Close()
					// An odd count leaves connections with unequal shares,
					// and the second run starts from where the first ended.
					for _, n := range []int{3, 8*depth + 5} {
						if err := c.Run(n); err != nil {
							t.Fatalf("Run(%d): %v", n, err)
						}
					}
				})
			}
		}
	}
}

// corruptEcho echoes with one byte changed once enough has passed.
func startCorruptEcho(t *testing.T, at int) *net.TCPAddr {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { ln.Close(); <-done })
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 4096)
		seen := 0
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			if seen <= at && at < seen+n {
				buf[at-seen] ^= 0x40
			}
			seen += n
			if _, err := c.Write(buf[:n]); err != nil {
				return
			}
		}
	}()
	return ln.Addr().(*net.TCPAddr)
}

// TestClientDetectsCorruption checks that a changed byte fails the run.
func TestClientDetectsCorruption(t *testing.T) {
	addr := startCorruptEcho(t, 1000)
	c, err := Dial(addr.AddrPort(), 1, 64, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	err = c.Run(100)
	if !errors.Is(err, errMismatch) {
		t.Fatalf("Run = %v, want a mismatch", err)
	}
}

// TestClientAllocatesNothing checks that Run allocates nothing per message,
// so the allocations a benchmark reports are the server's.
func TestClientAllocatesNothing(t *testing.T) {
	for _, sk := range serverKinds() {
		if sk.name != "net" {
			t.Run(sk.name, func(t *testing.T) { testAllocatesNothing(t, sk) })
		}
	}
}

func testAllocatesNothing(t *testing.T, sk serverKind) {
	srv := startServer(t, sk)
	c, err := Dial(srv.Addr(), 4, 64, 16)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Run(1000); err != nil {
		t.Fatal(err)
	}
	if best := bestAllocs(t, func() error { return c.Run(1000) }); best != 0 {
		t.Errorf("client and %s server allocated %v times per 1000 messages", sk.name, best)
	}
}

// bestAllocs returns the fewest allocations per call of run over three
// attempts of testing.AllocsPerRun, stopping at the first clean one, and
// fails the test if run does. Allocations are counted process-wide, so the
// server's and the runtime's own work are included (starting an OS thread
// costs 7): allocating per message or per batch would show in every
// attempt, a runtime hiccup does not repeat.
func bestAllocs(t *testing.T, run func() error) float64 {
	t.Helper()
	var runErr error
	best := -1.0
	for range 3 {
		allocs := testing.AllocsPerRun(5, func() {
			if err := run(); err != nil && runErr == nil {
				runErr = err
			}
		})
		if runErr != nil {
			t.Fatal(runErr)
		}
		if best < 0 || allocs < best {
			best = allocs
		}
		if best == 0 {
			break
		}
	}
	return best
}

// startDelayEcho echoes each read after holding it for delay.
func startDelayEcho(t *testing.T, delay time.Duration) *net.TCPAddr {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				buf := make([]byte, 4096)
				for {
					n, err := c.Read(buf)
					if err != nil {
						return
					}
					time.Sleep(delay)
					if _, err := c.Write(buf[:n]); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr)
}

// TestClientLatency checks that every message is counted once in the
// latency histogram and that a server which holds each reply for 20 ms
// shows round trips of at least that.
func TestClientLatency(t *testing.T) {
	const delay = 20 * time.Millisecond
	addr := startDelayEcho(t, delay)
	for _, depth := range []int{1, 4} {
		c, err := Dial(addr.AddrPort(), 2, 64, depth)
		if err != nil {
			t.Fatal(err)
		}
		const n = 21 // an odd count leaves one batch short
		if err := c.Run(n); err != nil {
			t.Fatal(err)
		}
		lat := c.Latency()
		p50, p99 := lat.Quantile(0.5), lat.Quantile(0.99)
		if lat.Count() != n || p50 < delay || p99 < p50 || p99 > lat.Max() || p50 > 2*time.Second {
			t.Errorf("depth %d: %d recorded, p50 %v, p99 %v, max %v; want %d recorded, %v <= p50 <= p99 <= max",
				depth, lat.Count(), p50, p99, lat.Max(), n, delay)
		}
		lat.Reset()
		if err := c.Run(4); err != nil || lat.Count() != 4 {
			t.Errorf("depth %d: after Reset, Run(4) = %v and %d recorded, want 4", depth, err, lat.Count())
		}
		c.Close()
	}
}
