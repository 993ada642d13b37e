package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sockloop/sockloop/examples/internal/exampletest"
)

// The proxy's guarantees on every path, on every backend: backpressure
// both ways, an end on either side (orderly, reset or refused) passed on
// to the other without a hang, and no socket left open afterwards.

// variant is one way of running the proxy.
type variant struct {
	name string
	args []string
}

// variants lists the backends of this platform, each with the loop's relay,
// the handler's (-copy) and, on Linux, the pipe forced (-splice).
func variants() []variant {
	if runtime.GOOS != "linux" {
		return []variant{{"default", nil}, {"copy", []string{"-copy"}}}
	}
	return []variant{
		{"epoll", []string{"-backend", "epoll"}},
		{"epoll-copy", []string{"-backend", "epoll", "-copy"}},
		{"epoll-splice", []string{"-backend", "epoll", "-splice"}},
		{"io_uring", []string{"-backend", "io_uring"}},
		{"io_uring-copy", []string{"-backend", "io_uring", "-copy"}},
		{"io_uring-splice", []string{"-backend", "io_uring", "-splice"}},
	}
}

// startProxy runs the proxy with one loop in front of upstream and waits
// until it accepts connections.
func startProxy(t *testing.T, upstream string, v variant) (string, *exampletest.Server) {
	t.Helper()
	addr := exampletest.FreePort(t)
	srv := exampletest.Start(t, append([]string{"-addr", addr, "-upstream", upstream, "-loops", "1"}, v.args...)...)
	exampletest.DialRetry(t, addr).Close()
	return addr, srv
}

// listen starts a loopback listener that hands each connection to serve.
func listen(t *testing.T, serve func(*net.TCPConn)) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serve(c.(*net.TCPConn))
		}
	}()
	return ln
}

// reset closes c with a reset instead of a FIN.
func reset(c *net.TCPConn) {
	c.SetLinger(0)
	c.Close()
}

// ended reports a read or write error as the end of a connection: nil for
// EOF or a reset, the error itself if the connection was still open when
// its deadline passed.
func ended(err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return err
	}
	return nil
}

// TestBackpressureStopsClient is TestBackpressureStopsUpstream the other
// way: an upstream that never reads makes the client's writes stall, with
// the bytes in kernel buffers, not in the proxy.
func TestBackpressureStopsClient(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the example")
	}
	for _, v := range variants() {
		t.Run(v.name, func(t *testing.T) {
			hold := make(chan struct{})
			defer close(hold)
			up := listen(t, func(c *net.TCPConn) {
				defer c.Close()
				<-hold
			})
			addr, srv := startProxy(t, up.Addr().String(), v)
			c := exampletest.DialRetry(t, addr)
			defer c.Close()
			buf := make([]byte, 64<<10)
			total := 0
			var err error
			for total < 1<<30 {
				// A second without progress means the proxy stopped reading.
				c.SetWriteDeadline(time.Now().Add(time.Second))
				var n int
				n, err = c.Write(buf)
				total += n
				if err != nil {
					break
				}
			}
			if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
				t.Fatalf("the client wrote %d bytes to an upstream that never reads, then %v; want its writes to stall", total, err)
			}
			if rss := residentKiB(t, srv.Pid()); rss > 64<<10 {
				t.Fatalf("the proxy holds %d KiB resident after the client wrote %d bytes", rss, total)
			}
		})
	}
}

// TestUpstreamResetEndsClient has the upstream reset its connection while
// the client is still sending: the client's reads must end and its writes
// fail, before its deadline.
func TestUpstreamResetEndsClient(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the example")
	}
	for _, v := range variants() {
		t.Run(v.name, func(t *testing.T) {
			up := listen(t, func(c *net.TCPConn) {
				c.SetDeadline(time.Now().Add(30 * time.Second))
				// The start-up probe sends nothing and closes: reset it too.
				io.CopyN(io.Discard, c, 256<<10)
				reset(c)
			})
			addr, _ := startProxy(t, up.Addr().String(), v)
			c := exampletest.DialRetry(t, addr)
			defer c.Close()
			wrote := make(chan error, 1)
			go func() {
				buf := make([]byte, 64<<10)
				for {
					if _, err := c.Write(buf); err != nil {
						wrote <- err
						return
					}
				}
			}()
			got, err := io.ReadAll(c)
			if err := ended(err); err != nil || len(got) != 0 {
				t.Fatalf("read %d bytes, then %v; want the connection ended with nothing", len(got), err)
			}
			if err := ended(<-wrote); err != nil {
				t.Fatalf("write: %v; want it to fail once the upstream is gone", err)
			}
		})
	}
}

// TestClientResetEndsUpstream has the client reset its connection while
// the upstream is still sending: the upstream's connection must end before
// its deadline.
func TestClientResetEndsUpstream(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the example")
	}
	for _, v := range variants() {
		t.Run(v.name, func(t *testing.T) {
			gone := make(chan error, 2)
			up := listen(t, func(c *net.TCPConn) {
				defer c.Close()
				c.SetDeadline(time.Now().Add(30 * time.Second))
				go func() {
					_, err := io.Copy(io.Discard, c)
					gone <- err
				}()
				buf := make([]byte, 64<<10)
				for {
					if _, err := c.Write(buf); err != nil {
						gone <- err
						return
					}
				}
			})
			addr, _ := startProxy(t, up.Addr().String(), v)
			// The start-up probe's connection ends too: wait for its
			// upstream side, read and write, before the one under test.
			for range 2 {
				if err := ended(<-gone); err != nil {
					t.Fatalf("the probe's upstream connection: %v", err)
				}
			}
			c := exampletest.DialRetry(t, addr).(*net.TCPConn)
			if _, err := io.ReadFull(c, make([]byte, 1<<20)); err != nil {
				t.Fatal(err)
			}
			reset(c)
			for range 2 {
				if err := ended(<-gone); err != nil {
					t.Fatalf("the upstream's connection after the client's reset: %v", err)
				}
			}
		})
	}
}

// TestUpstreamResetIsNoCleanEnd has the upstream answer part of a request
// and reset: the client must see its connection fail, not end in order, or
// it would take the part for the whole.
func TestUpstreamResetIsNoCleanEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the example")
	}
	for _, v := range variants() {
		t.Run(v.name, func(t *testing.T) {
			up := listen(t, func(c *net.TCPConn) {
				c.SetDeadline(time.Now().Add(30 * time.Second))
				if _, err := c.Read(make([]byte, 64)); err != nil {
					c.Close() // the start-up probe
					return
				}
				c.Write(make([]byte, 100<<10))
				reset(c)
			})
			addr, _ := startProxy(t, up.Addr().String(), v)
			c := exampletest.DialRetry(t, addr)
			defer c.Close()
			c.SetDeadline(time.Now().Add(30 * time.Second))
			if _, err := c.Write([]byte("request")); err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(c)
			if err == nil || ended(err) != nil {
				t.Fatalf("read %d bytes, then %v; want the upstream's reset passed on as an error", len(got), err)
			}
		})
	}
}

// TestNoSocketLeft runs connections that end every way through the proxy,
// then checks that it holds no more sockets than its listener: orderly
// half-closes from either side, resets from either side, and (through a
// second proxy) an upstream that refuses.
func TestNoSocketLeft(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the example")
	}
	if runtime.GOOS != "linux" {
		t.Skip("counts sockets in /proc")
	}
	for _, v := range variants() {
		t.Run(v.name, func(t *testing.T) {
			// The first byte says how the upstream ends: 'e' echoes to
			// the client's FIN and closes, 'g' greets and half-closes
			// first, 'r' resets, anything else (the probe) is closed.
			up := listen(t, func(c *net.TCPConn) {
				defer c.Close()
				c.SetDeadline(time.Now().Add(30 * time.Second))
				b := make([]byte, 1)
				if _, err := io.ReadFull(c, b); err != nil {
					return
				}
				switch b[0] {
				case 'e':
					c.Write(b)
					io.Copy(c, c)
					c.CloseWrite()
				case 'g':
					c.Write([]byte("hello"))
					c.CloseWrite()
					io.Copy(io.Discard, c)
				case 'r':
					reset(c)
				}
			})
			addr, srv := startProxy(t, up.Addr().String(), v)
			down := exampletest.FreePort(t)
			downAddr, downSrv := startProxy(t, down, v)
			var wg sync.WaitGroup
			errs := make(chan error, 64)
			for i := range 40 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					target, kind := addr, "egrc"[i%4]
					if i%5 == 0 {
						target, kind = downAddr, 'd'
					}
					if err := endOneWay(target, kind); err != nil {
						errs <- fmt.Errorf("connection %d (%c): %v", i, kind, err)
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			for _, s := range []*exampletest.Server{srv, downSrv} {
				if n := settledSockets(t, s.Pid()); n > 1 {
					t.Errorf("the proxy holds %d sockets after its connections ended; want its listener alone", n)
				}
				s.StopQuietly(t)
			}
		})
	}
}

// endOneWay runs one connection to addr that ends the way kind says (see
// TestNoSocketLeft; 'c' resets from the client, 'd' meets a refusing
// upstream) and checks what the client sees.
func endOneWay(addr string, kind byte) error {
	nc, err := net.Dial("tcp", addr)
	if kind == 'd' && errors.Is(err, syscall.ECONNRESET) {
		return nil // the refusal passed on as a reset before the dial returned
	}
	if err != nil {
		return err
	}
	c := nc.(*net.TCPConn)
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	switch kind {
	case 'e':
		c.Write([]byte("echo me"))
		c.CloseWrite()
		got, err := io.ReadAll(c)
		if err != nil || string(got) != "echo me" {
			return fmt.Errorf("echo %q, %v", got, err)
		}
	case 'g':
		c.Write([]byte{kind})
		got, err := io.ReadAll(c)
		if err != nil || string(got) != "hello" {
			return fmt.Errorf("greeting %q, %v", got, err)
		}
		c.Write([]byte("gbye"))
		c.CloseWrite()
	case 'c':
		c.Write([]byte("c then a reset"))
		reset(c)
	case 'r', 'd':
		c.Write([]byte{kind})
		if _, err := io.ReadAll(c); ended(err) != nil {
			return err
		}
	}
	return nil
}

// settledSockets waits up to 10 s for the process's sockets to go down to
// one and returns how many it has then.
func settledSockets(t *testing.T, pid int) int {
	t.Helper()
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	deadline := time.Now().Add(10 * time.Second)
	for {
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range ents {
			if l, err := os.Readlink(dir + "/" + e.Name()); err == nil && strings.HasPrefix(l, "socket:") {
				n++
			}
		}
		if n <= 1 || time.Now().After(deadline) {
			return n
		}
		time.Sleep(20 * time.Millisecond)
	}
}
