//go:build linux

package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"
)

// echoServers and httpServers serve on addr with the given number of event
// loops until the process is killed.
var echoServers = map[string]func(addr string, loops int) error{
	"sockloop":            serveSockloopEcho,
	"sockloop-uring":      serveSockloopUringEcho,
	"sockloop-uring-poll": serveSockloopUringPollEcho,
	"sockloop-uring-coop": serveSockloopUringCoopEcho,
	"sockloop-uring-raw":  serveSockloopUringRawEcho,
	// Answering from the worker pool: what the loops' waits cost
	// goroutines that need a P (run only when named in -impls).
	"sockloop-pool":           serveSockloopPoolEcho,
	"sockloop-uring-pool":     serveSockloopUringPoolEcho,
	"sockloop-uring-raw-pool": serveSockloopUringRawPoolEcho,
	"gnet":                    serveGnetEcho,
	"nbio":                    serveNbioEcho,
	"netpoll":                 serveNetpollEcho,
	"net":                     serveNetEcho,
}

var httpServers = map[string]func(addr string, loops int) error{
	"sockloop":            serveSockloopHTTP,
	"sockloop-uring":      serveSockloopUringHTTP,
	"sockloop-uring-poll": serveSockloopUringPollHTTP,
	"sockloop-uring-coop": serveSockloopUringCoopHTTP,
	"sockloop-uring-raw":  serveSockloopUringRawHTTP,
	"gnet":                serveGnetHTTP,
	// net/http's Server through loop/netconn, and on package net: what
	// the adapter costs existing code (run only when named in -impls).
	"sockloop-nethttp":       serveSockloopNetHTTP,
	"sockloop-uring-nethttp": serveSockloopUringNetHTTP,
	"nethttp":                serveNetHTTP,
}

// serverMain is the "server" subcommand: one server in this process.
func serverMain(args []string) error {
	fs := flag.NewFlagSet("server", flag.ExitOnError)
	impl := fs.String("impl", "sockloop", "sockloop, sockloop-uring, gnet, nbio, netpoll or net; with -http also sockloop-nethttp and nethttp; iocopy (a proxy, with -upstream)")
	addr := fs.String("addr", "127.0.0.1:9000", "address to listen on")
	loops := fs.Int("loops", 1, "event loops (pollers)")
	http := fs.Bool("http", false, "HTTP plaintext instead of echo")
	upstream := fs.String("upstream", "", "with -impl iocopy: HOST:PORT to relay to (the io.Copy proxy)")
	memprofile := fs.String("memprofile", "", "on SIGUSR1, collect garbage and write a heap profile here")
	fs.Parse(args)
	if *memprofile != "" {
		runtime.MemProfileRate = 1 // every allocation, for exact bytes per connection
		heapProfileOnSignal(*memprofile)
	}
	if *impl == "iocopy" {
		return serveIOCopyProxy(*addr, *upstream)
	}
	set := echoServers
	if *http {
		set = httpServers
	}
	serve, ok := set[*impl]
	if !ok {
		return fmt.Errorf("no server %q (http=%v)", *impl, *http)
	}
	return serve(*addr, *loops)
}

// heapProfileOnSignal writes a heap profile (live objects after a collection)
// to name each time the process gets SIGUSR1, and then a line to stderr.
func heapProfileOnSignal(name string) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR1)
	go func() {
		for range ch {
			runtime.GC()
			f, err := os.Create(name)
			if err == nil {
				err = pprof.Lookup("heap").WriteTo(f, 0)
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}
			fmt.Fprintln(os.Stderr, "heap profile", name, err)
		}
	}()
}
