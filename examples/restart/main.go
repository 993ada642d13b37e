// Command restart is a TCP or Unix-socket echo server that restarts itself
// without dropping a connection: on SIGHUP it starts its binary anew,
// hands the new process every listening socket, waits until that process
// serves, then stops accepting, lets its open connections end (for up to
// -drain) and exits. It prints nothing on success and serves until killed.
//
//	go run ./examples/restart -addr 127.0.0.1:9000 -pidfile /tmp/restart.pid
//	kill -HUP $(cat /tmp/restart.pid)    # a new process, the same sockets
//
// It also serves sockets passed by systemd's socket activation. A restart
// needs descriptors that a child process can inherit: on Windows SIGHUP
// never arrives, and a restart asked for otherwise would fail.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/sockloop/sockloop/examples/internal/backendflag"
	"github.com/sockloop/sockloop/loop"
)

type echo struct{ loop.BaseHandler }

// OnTraffic writes back everything that arrived, without a copy.
func (echo) OnTraffic(c *loop.Conn) loop.Action {
	b, _ := c.Next(-1)
	c.Write(b)
	return loop.None
}

// OnStop keeps a connection open while this process retires: an echo has
// no request boundary, so it ends when its client closes it (or -drain
// does).
func (echo) OnStop(*loop.Conn) loop.Action { return loop.None }

// server is one process's part: its engine, and where it came from.
type server struct {
	e       *loop.Engine
	network string
	addr    string
	pidfile string
	drain   time.Duration
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "address to listen on (a path for -network unix); ignored when sockets are handed over")
	network := flag.String("network", "tcp", "tcp, tcp4, tcp6 or unix")
	loops := flag.Int("loops", runtime.NumCPU(), "number of event loops")
	pidfile := flag.String("pidfile", "", "file to write the serving process's id to, rewritten by each new process")
	drain := flag.Duration("drain", 30*time.Second, "how long a replaced process waits for its open connections to end")
	chosenBackend := backendflag.Register("restart")
	flag.Parse()
	backend := chosenBackend()
	e, err := loop.New(echo{}, loop.WithLoops(*loops), loop.WithBackend(backend))
	if err != nil {
		fail(err)
	}
	s := &server{e: e, network: *network, addr: *addr, pidfile: *pidfile, drain: *drain}
	if err := s.run(); err != nil {
		fail(err)
	}
}

// run serves until SIGINT or SIGTERM, or until a SIGHUP's restart has
// handed everything over.
func (s *server) run() error {
	ready, err := s.listen()
	if err != nil {
		s.e.Stop(context.Background())
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	if err := s.e.Start(ctx); err != nil {
		return err
	}
	if err := s.announce(ready); err != nil {
		s.e.Stop(context.Background())
		return err
	}
	for {
		select {
		case <-hup:
			if err := s.restart(); err != nil {
				fmt.Fprintln(os.Stderr, "restart: serving on:", err)
				continue
			}
			return s.retire()
		case <-s.e.Done():
			s.cleanUp()
			return nil
		}
	}
}

// cleanUp removes what the last process of a line of restarts leaves: the
// pidfile, and the Unix socket's file, which an engine removes only if it
// created the socket and never handed it over; systemd's are its own.
func (s *server) cleanUp() {
	if s.pidfile != "" {
		os.Remove(s.pidfile)
	}
	if s.network == "unix" && os.Getenv(envSystemd) == "" {
		os.Remove(s.addr)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "restart:", err)
	os.Exit(1)
}
