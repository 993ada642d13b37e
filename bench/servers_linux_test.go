//go:build linux

package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockloop/sockloop/loop"
	"github.com/sockloop/sockloop/poller"
)

// loops is the number of event loops the sockloop server runs. The default
// of one leaves the other CPU of a two-core machine to the client.
var loops = flag.Int("loops", 1, "sockloop event loops in the echo benchmarks")

// edge makes the sockloop server's poller edge-triggered.
var edge = flag.Bool("edge", false, "edge-triggered sockloop poller in the echo benchmarks")

// backends picks which of sockloop's pollers the benchmarks run side by side.
var backends = flag.String("backend", "epoll,io_uring", "sockloop backends to run: epoll, io_uring or both (comma-separated)")

// server is an echo server under test.
type server interface {
	Addr() netip.AddrPort
	Close() error
}

type serverKind struct {
	name  string
	start func() (server, error)
}

// startServer starts sk for a test or benchmark and closes it when that
// ends, failing it if the close is not clean; a backend the kernel lacks
// skips it.
func startServer(tb testing.TB, sk serverKind) server {
	tb.Helper()
	srv, err := sk.start()
	if errors.Is(err, errNoBackend) {
		tb.Skip(err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := srv.Close(); err != nil {
			tb.Errorf("closing the %s server: %v", sk.name, err)
		}
	})
	return srv
}

// allServers are the echo servers, sockloop once per backend ("sockloop" is
// epoll, the default, so that older results compare by name).
var allServers = []serverKind{
	{"sockloop", func() (server, error) { return startLoopEcho(poller.Epoll) }},
	{"sockloop-uring", func() (server, error) { return startLoopEcho(poller.IOURing) }},
	{"net", startNetEcho},
}

// serverKinds returns the echo servers the -backend flag selects, net always.
func serverKinds() []serverKind { return selectServers(allServers) }

// selectServers returns those of all that the -backend flag selects, named
// "sockloop" (epoll), "sockloop-uring" or anything else (always).
func selectServers(all []serverKind) []serverKind {
	want := "," + strings.ReplaceAll(*backends, " ", "") + ","
	var out []serverKind
	for _, sk := range all {
		switch sk.name {
		case "sockloop":
			if !strings.Contains(want, ",epoll,") {
				continue
			}
		case "sockloop-uring":
			if !strings.Contains(want, ",io_uring,") {
				continue
			}
		}
		out = append(out, sk)
	}
	return out
}

// errNoBackend reports that the kernel refused the backend asked for; the
// engine would fall back to epoll, which is not what the caller wants to
// measure, so tests and benchmarks skip.
var errNoBackend = errors.New("bench: backend unavailable here")

// loopEcho is sockloop's echo: the bytes read are written back from the
// loop's read buffer without a copy.
type loopEcho struct{ loop.BaseHandler }

func (loopEcho) OnTraffic(c *loop.Conn) loop.Action {
	b, _ := c.Next(-1)
	c.Write(b)
	return loop.None
}

type loopServer struct {
	e    *loop.Engine
	addr netip.AddrPort
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func startLoopEcho(b poller.Backend) (server, error) {
	return asServer(startLoop(loopEcho{}, b, "tcp://127.0.0.1:0"))
}

// asServer returns a started server as the interface, and no typed nil
// inside it when starting failed.
func asServer[S server](s S, err error) (server, error) {
	if err != nil {
		return nil, err
	}
	return s, nil
}

// startLoop starts a sockloop engine serving h on addr ("tcp://..." or
// "udp://...") with the benchmark flags' loops, trigger mode and backend b.
func startLoop(h loop.Handler, b poller.Backend, addr string) (*loopServer, error) {
	e, err := loop.New(h, loop.WithLoops(*loops), loop.WithEdgeTriggered(*edge), loop.WithLogger(quiet),
		loop.WithBackend(b))
	if err != nil {
		return nil, err
	}
	if e.Backend() != b {
		e.Stop(context.Background())
		return nil, fmt.Errorf("%w: %s", errNoBackend, b)
	}
	a, err := e.Listen(addr)
	if err == nil {
		err = e.Start(context.Background())
	}
	if err != nil {
		e.Stop(context.Background())
		return nil, err
	}
	s := &loopServer{e: e}
	switch a := a.(type) {
	case *net.TCPAddr:
		s.addr = a.AddrPort()
	case *net.UDPAddr:
		s.addr = a.AddrPort()
	default:
		e.Stop(context.Background())
		return nil, fmt.Errorf("bench: unexpected listen address %T", a)
	}
	return s, nil
}

func (s *loopServer) Addr() netip.AddrPort { return s.addr }

func (s *loopServer) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.e.Stop(ctx)
}

// netServer is the classic goroutine per connection on package net: the echo
// (netEcho) or another protocol's serve function.
type netServer struct {
	serve func(net.Conn)
	ln    net.Listener
	addr  netip.AddrPort
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

func startNetEcho() (server, error) { return asServer(startNet(netEcho)) }

// startNet listens on a loopback port and runs serve in a goroutine for
// each connection; serve returns when the connection fails or is closed.
func startNet(serve func(net.Conn)) (*netServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &netServer{serve: serve, ln: ln, addr: ln.Addr().(*net.TCPAddr).AddrPort(), conns: make(map[net.Conn]struct{})}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

func (s *netServer) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.conns == nil { // closing
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go s.run(c)
	}
}

func (s *netServer) run(c net.Conn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		c.Close()
	}()
	s.serve(c)
}

// netEcho echoes with its own 64 KiB buffer (the size of a sockloop loop's
// read buffer).
func netEcho(c net.Conn) {
	buf := make([]byte, 64<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (s *netServer) Addr() netip.AddrPort { return s.addr }

func (s *netServer) Close() error {
	err := s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.conns = nil
	s.mu.Unlock()
	s.wg.Wait()
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}
