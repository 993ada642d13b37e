//go:build linux

// Command compare runs sockloop, gnet v2, nbio, netpoll, a goroutine-per-
// connection net server and a minimal C floor under the same load, one server
// process at a time, alternating them over rounds, and writes a table of
// ratios and SVG charts into bench/results. See README.md.
//
//	compare server -impl gnet -addr 127.0.0.1:9000 -loops 1 [-http]
//	compare run [-dur 3s] [-rounds 3] [-setup percore,machine]
//	compare report -in ../results/compare-<stamp>.csv
//	compare load -addr 127.0.0.1:9000 -conns 100 -size 64 -depth 1 -n 100000
//	compare load -addr 127.0.0.1:9000 -conns 64 -churn 5s
//	compare redis [-rounds 3] [-n 200000] [-np 2000000]
//	compare idle [-rounds 3] [-conns 10000] [-impls gnet,sockloop,sockloop-uring]
//	compare proxy [-dur 3s] [-rounds 3] [-only bulk] [-impls haproxy,sockloop,...]
//	compare tls [-dur 3s] [-rounds 3] [-only handshakes] [-impls sockloop,nethttp,nbio,nginx]
//	compare tlsserver -impl sockloop -addr 127.0.0.1:9443 -loops 2 -cert C -key K
//	compare tlsload -addr 127.0.0.1:9443 -ca C [-workers 64 -dur 5s -resume | -flood]
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "server":
		err = serverMain(os.Args[2:])
	case "run":
		err = runMain(os.Args[2:])
	case "report":
		err = reportMain(os.Args[2:])
	case "load":
		err = loadMain(os.Args[2:])
	case "redis":
		err = redisMain(os.Args[2:])
	case "idle":
		err = idleMain(os.Args[2:])
	case "proxy":
		err = proxyMain(os.Args[2:])
	case "tls":
		err = tlsMain(os.Args[2:])
	case "tlsserver":
		err = tlsServerMain(os.Args[2:])
	case "tlsload":
		err = tlsLoadMain(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: compare server -impl NAME -addr HOST:PORT [-loops N] [-http]\n       compare run [flags]\n       compare report -in FILE.csv\n       compare load -addr HOST:PORT [-conns -size -depth -n | -conns -churn DUR]\n       compare redis [-rounds -n -np -impls]\n       compare idle [-rounds -conns -impls]\n       compare proxy [-dur -rounds -only -impls]\n       compare tls [-dur -rounds -only -impls -setup]\n       compare tlsserver -impl NAME -addr HOST:PORT -loops N -cert C -key K\n       compare tlsload -addr HOST:PORT -ca C [-workers -dur -resume -flood]")
	os.Exit(2)
}
