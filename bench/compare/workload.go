//go:build linux

package main

import (
	"fmt"
	"strconv"
	"strings"
)

// workload is one load and the servers it is run against.
type workload struct {
	name  string
	http  bool // wrk against an HTTP server; otherwise the echo client
	conns int
	size  int // echo message bytes
	depth int // messages in flight per connection (wrk: pipeline depth, 1 = none)
}

var workloads = []workload{
	{name: "echo 100c 64B pingpong", conns: 100, size: 64, depth: 1},
	{name: "echo 100c 64B x16", conns: 100, size: 64, depth: 16},
	{name: "echo 1000c 512B pingpong", conns: 1000, size: 512, depth: 1},
	{name: "http 256c pipeline16", http: true, conns: 256, depth: 16},
	{name: "http 256c no pipeline", http: true, conns: 256, depth: 1},
}

// serves tells whether the workload has a server named impl (the C floor
// is built from bench/limit, not listed).
func (w workload) serves(impl string) bool {
	if w.http {
		return httpServers[impl] != nil
	}
	return echoServers[impl] != nil
}

// implsFor lists the servers of a workload, sockloop (epoll) first (the
// baseline of every ratio), sockloop on io_uring next and the C floor last.
func implsFor(w workload) []string {
	if w.http {
		return []string{"sockloop", "sockloop-uring", "gnet", "c"}
	}
	return []string{"sockloop", "sockloop-uring", "gnet", "nbio", "netpoll", "net", "c"}
}

// setup is where the server and the client run.
type setup struct {
	name  string
	loops int
	// serverCPUs pins the server (taskset, GOMAXPROCS one per CPU) and
	// clientCPUs the load, one client thread (or wrk thread) per CPU; both
	// nil: unpinned, with one echo client thread and a wrk thread per loop.
	serverCPUs, clientCPUs []int
}

func (s setup) pinned() bool { return len(s.serverCPUs) > 0 }

// describe says where the set-up puts the server and the load.
func (s setup) describe() string {
	if !s.pinned() {
		return fmt.Sprintf("server and client unpinned, %d loops (C: threads), wrk -t%d", s.loops, s.loops)
	}
	return fmt.Sprintf("server pinned to CPU %s (taskset), GOMAXPROCS=%d, %d loop(s) (C: threads); load on CPU %s, one client or wrk thread per CPU",
		cpuList(s.serverCPUs), len(s.serverCPUs), s.loops, cpuList(s.clientCPUs))
}

// lookupSetup returns the set-up called name on a machine of ncpu CPUs:
// percore (server on CPU 0, one loop; load on CPU 1), machine (two loops,
// nothing pinned), or scaleN (N loops on CPUs 0 to N-1, the load on up to N
// CPUs after them: the multi-core scaling runs).
func lookupSetup(name string, ncpu int) (setup, error) {
	switch name {
	case "percore":
		return setup{name: name, loops: 1, serverCPUs: []int{0}, clientCPUs: []int{1}}, nil
	case "machine":
		return setup{name: name, loops: 2}, nil
	}
	n := scaleLoops(name)
	if n == 0 {
		return setup{}, fmt.Errorf("no set-up %q (percore, machine, scale1, scale2, ...)", name)
	}
	if ncpu < n+1 {
		return setup{}, fmt.Errorf("set-up %s needs at least %d CPUs (%d loops and one for the load); this machine has %d", name, n+1, n, ncpu)
	}
	s := setup{name: name, loops: n}
	for c := range n {
		s.serverCPUs = append(s.serverCPUs, c)
	}
	for c := n; c < min(2*n, ncpu); c++ {
		s.clientCPUs = append(s.clientCPUs, c)
	}
	return s, nil
}

// cpuList writes cpus as taskset reads them.
func cpuList(cpus []int) string {
	parts := make([]string, len(cpus))
	for i, c := range cpus {
		parts[i] = strconv.Itoa(c)
	}
	return strings.Join(parts, ",")
}
