//go:build unix

package conn

import "testing"

// TestSteadyStateAllocs pins that Write, Read, Send, SendAll and RecvInto
// allocate nothing once the socket exists.
func TestSteadyStateAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	a, b := mustPair(t, AF_UNIX, SOCK_STREAM)
	msg, buf := make([]byte, 64), make([]byte, 64)
	allocs := testing.AllocsPerRun(200, func() {
		a.Write(msg)
		b.Read(buf)
		b.Send(msg)
		a.RecvInto(buf)
		a.SendAll(msg)
		b.RecvInto(buf, MSG_PEEK)
		b.Read(buf)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per round", allocs)
	}
}
