package main

import (
	"expvar"
	"net"
	"net/http"

	"github.com/sockloop/sockloop/loop"
)

// publishMetrics serves the engine's counters on ln as expvar's
// /debug/vars: "sockloop" sums the loops, "sockloop_loops" lists them. A
// Prometheus or OpenTelemetry exporter would range over Stats.All the same
// way.
func publishMetrics(ln net.Listener, e *loop.Engine) {
	expvar.Publish("sockloop", expvar.Func(func() any { return statsMap(e.Stats()) }))
	expvar.Publish("sockloop_loops", expvar.Func(func() any {
		var loops []map[string]uint64
		for _, l := range e.Loops() {
			loops = append(loops, statsMap(l.Stats()))
		}
		return loops
	}))
	go http.Serve(ln, nil) // expvar's handler is on the default mux; ends when the process does
}

func statsMap(s loop.Stats) map[string]uint64 {
	m := map[string]uint64{}
	for name, v := range s.All() {
		m[name] = v
	}
	return m
}
