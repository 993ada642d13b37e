//go:build linux

package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"

	"github.com/sockloop/sockloop/loop"
	"github.com/sockloop/sockloop/loop/netconn"
	"github.com/sockloop/sockloop/poller"
)

// netHTTPHello is one net/http handler for both net/http servers, so that
// they differ only in what carries the bytes: Hello, World! with
// Content-Type and Content-Length (net/http adds Date), the header values
// shared so that answering allocates none of its own.
func netHTTPHello(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h["Content-Type"] = textPlainValue
	h["Content-Length"] = helloLength
	w.Write(hello)
}

var (
	textPlainValue = []string{textPlain}
	helloLength    = []string{strconv.Itoa(len(hello))}
)

// serveNetHTTP is net/http's Server on package net: a goroutine per
// connection, Go's own poller.
func serveNetHTTP(addr string, _ int) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return http.Serve(ln, http.HandlerFunc(netHTTPHello))
}

// serveSockloopNetHTTP is the same Server on sockloop's loops through
// loop/netconn: the loops make the system calls, the Server's goroutines
// read and write through the adapter.
func serveSockloopNetHTTP(addr string, loops int) error {
	return serveNetHTTPOnLoops(addr, loops, poller.Epoll)
}

func serveSockloopUringNetHTTP(addr string, loops int) error {
	return serveNetHTTPOnLoops(addr, loops, poller.IOURing)
}

func serveNetHTTPOnLoops(addr string, loops int, b poller.Backend) error {
	ln, err := netconn.Listen(context.Background(), "tcp://"+addr,
		loop.WithLoops(loops), loop.WithLogger(quiet), loop.WithBackend(b))
	if err != nil {
		return err
	}
	if got := ln.Engine().Backend(); got != b {
		return fmt.Errorf("backend %s unavailable (the engine fell back to %s)", b, got)
	}
	return http.Serve(ln, http.HandlerFunc(netHTTPHello))
}
