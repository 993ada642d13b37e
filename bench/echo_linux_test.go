//go:build linux

package bench

import (
	"fmt"
	"runtime"
	"testing"
)

// BenchmarkEcho echoes messages through each server with the event-loop
// client. One op is one message echoed and checked. The servers alternate
// within each configuration, so drift of the machine's speed hits both alike.
//
//	go test -run XXX -bench . -benchmem -count 6 ./bench/ | tee new.txt
//	benchstat -col /server new.txt
func BenchmarkEcho(b *testing.B) {
	for _, conns := range []int{1, 100, 1000} {
		for _, size := range []int{64, 4096} {
			for _, depth := range []int{1, 16} {
				for _, sk := range serverKinds() {
					name := fmt.Sprintf("server=%s/conns=%d/size=%d/depth=%d", sk.name, conns, size, depth)
					b.Run(name, func(b *testing.B) { benchEcho(b, sk, conns, size, depth) })
				}
			}
		}
	}
}

func benchEcho(b *testing.B, sk serverKind, conns, size, depth int) {
	srv := startServer(b, sk)
	c, err := Dial(srv.Addr(), conns, size, depth)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// Warm up: every connection round-trips a full pipeline, so the server
	// has accepted them all and grown whatever it grows per connection.
	if err := c.Run(2 * conns * depth); err != nil {
		b.Fatal(err)
	}
	c.Latency().Reset()
	b.SetBytes(int64(size))
	measure(b, "msgs/s", c.Run)
	// Round trip per message: a batch's, from its write to its last byte
	// back (see Client).
	reportLatency(b, c.Latency())
}
