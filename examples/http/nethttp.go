package main

import (
	"context"
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

// serveNetHTTP serves netHTTPHandler with net/http's Server on loops,
// through loop/netconn, until ctx ends; then it shuts the server down,
// waiting up to grace for requests under way.
func serveNetHTTP(ctx context.Context, addr string, grace time.Duration, opts ...loop.Option) error {
	// The engine outlives ctx: it stops once Shutdown has closed the
	// listener and every connection.
	ln, err := netconn.Listen(context.Background(), addr, opts...)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: http.HandlerFunc(netHTTPHandler)}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		srv.Close() // the listener and every connection: the engine stops
		<-ln.Engine().Done()
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	<-served // http.ErrServerClosed
	<-ln.Engine().Done()
	return nil
}
