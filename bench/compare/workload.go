//go:build linux

package main

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
	pin   bool // server on CPU 0 with GOMAXPROCS=1, client on CPU 1
	loops int
}

var setups = map[string]setup{
	"percore": {name: "percore", pin: true, loops: 1},
	"machine": {name: "machine", pin: false, loops: 2},
}
