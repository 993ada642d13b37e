package main

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/sockloop/sockloop/loop"
	"github.com/sockloop/sockloop/loop/netconn"
)

// Header values shared by every response, so that answering allocates no
// header slices: net/http only reads them.
var (
	textPlainValue   = []string{textPlain}
	allowValue       = []string{"GET, HEAD"}
	helloLength      = []string{strconv.Itoa(len(hello))}
	notFoundLength   = []string{strconv.Itoa(len(notFound))}
	notAllowedLength = []string{strconv.Itoa(len(notAllowed))}
)

// netHTTPHandler gives the loop handler's answers with net/http: Hello,
// World! for GET and HEAD of / and /plaintext, 404 and 405 otherwise, with
// Content-Type and Content-Length (net/http adds Date, and keep-alive or
// Connection: close as the request asks).
func netHTTPHandler(w http.ResponseWriter, r *http.Request) {
	status, body, length := http.StatusOK, hello, helloLength
	h := w.Header()
	switch {
	case r.URL.Path != "/" && r.URL.Path != "/plaintext":
		status, body, length = http.StatusNotFound, notFound, notFoundLength
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		status, body, length = http.StatusMethodNotAllowed, notAllowed, notAllowedLength
		h["Allow"] = allowValue
	}
	h["Content-Type"] = textPlainValue
	h["Content-Length"] = length
	w.WriteHeader(status)
	w.Write(body) // dropped by net/http for HEAD
}

// headTimeout bounds a TLS handshake and a request's head under -nethttp:
// the loop's own default handshake timeout.
const headTimeout = 10 * time.Second

// serveNetHTTP serves netHTTPHandler with net/http's Server on loops,
// through loop/netconn, until ctx ends; then it shuts the server down,
// waiting up to grace for requests under way. With secure it serves HTTPS
// with crypto/tls over the adapter, as net/http's own ServeTLS does, so
// that handlers find the session in Request.TLS.
func serveNetHTTP(ctx context.Context, addr string, grace time.Duration, secure *tls.Config, opts ...loop.Option) error {
	// The engine outlives ctx: it stops once Shutdown has closed the
	// listener and every connection.
	ln, err := netconn.Listen(context.Background(), addr, opts...)
	if err != nil {
		return err
	}
	engine := ln.Engine()
	var served net.Listener = ln
	if secure != nil {
		served = tls.NewListener(ln, secure)
	}
	// A client that gives up on a handshake is no error of the server's,
	// which prints nothing, as the loop handler does. A client that stalls
	// in its handshake or its request's head is closed after headTimeout,
	// as the loop closes a stalled TLS handshake: net/http bounds neither
	// by default.
	srv := &http.Server{
		Handler:           http.HandlerFunc(netHTTPHandler),
		ErrorLog:          log.New(io.Discard, "", 0),
		ReadHeaderTimeout: headTimeout,
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(served) }()
	select {
	case err := <-done:
		srv.Close() // the listener and every connection: the engine stops
		<-engine.Done()
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	<-done // http.ErrServerClosed
	<-engine.Done()
	return nil
}
