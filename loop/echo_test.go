package loop

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"
)

// echoRoundTrip sends size random bytes in random-sized writes on c while
// reading the echo concurrently, and compares checksums.
func echoRoundTrip(c net.Conn, seed uint64, size int) error {
	r := rand.New(rand.NewPCG(seed, seed))
	payload := make([]byte, size)
	for i := range payload {
		payload[i] = byte(r.Uint32())
	}
	want := sha256.Sum256(payload)
	errc := make(chan error, 1)
	go func() {
		for rest := payload; len(rest) > 0; {
			n := min(len(rest), 1+r.IntN(32<<10))
			if _, err := c.Write(rest[:n]); err != nil {
				errc <- err
				return
			}
			rest = rest[n:]
		}
		errc <- nil
	}()
	h := sha256.New()
	if _, err := io.CopyN(h, c, int64(size)); err != nil {
		return fmt.Errorf("reading the echo: %w", err)
	}
	if err := <-errc; err != nil {
		return fmt.Errorf("writing: %w", err)
	}
	if got := h.Sum(nil); !bytes.Equal(got, want[:]) {
		return fmt.Errorf("echo of %d bytes differs from what was sent", size)
	}
	return nil
}

func TestEchoIntegrityManyConnections(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Option
	}{
		{name: "reuseport"},
		{name: "round-robin", opts: []Option{WithReusePort(false), WithLoadBalancing(RoundRobin)}},
		{name: "least-connections", opts: []Option{WithReusePort(false), WithLoadBalancing(LeastConnections)}},
		{name: "source-hash", opts: []Option{WithReusePort(false), WithLoadBalancing(SourceAddrHash)}},
		{name: "small-buffers", opts: []Option{WithReadBufferSize(512), WithWriteWatermarks(512, 1024)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newEchoHandler()
			_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, tc.opts...)
			const conns = 200
			var wg sync.WaitGroup
			errs := make(chan error, conns)
			for i := range conns {
				wg.Add(1)
				go func() {
					defer wg.Done()
					c, err := net.Dial("tcp", addrs[0].String())
					if err != nil {
						errs <- err
						return
					}
					defer c.Close()
					size := 1 + rand.IntN(96<<10)
					if err := echoRoundTrip(c, uint64(i), size); err != nil {
						errs <- fmt.Errorf("conn %d: %w", i, err)
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			for len(h.closes) > 0 {
				if err := <-h.closes; err != nil {
					t.Errorf("OnClose err = %v, want nil: every client closed after its echo", err)
				}
			}
		})
	}
}

func TestLoadBalancingSpreadsConnections(t *testing.T) {
	h := newEchoHandler()
	e, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithReusePort(false), WithLoadBalancing(RoundRobin))
	var conns []net.Conn
	for range 4 {
		c := dial(t, addrs[0])
		if err := echoRoundTrip(c, 1, 10); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for _, l := range e.Loops() {
		if n := l.CountConnections(); n != 2 {
			t.Errorf("loop %d serves %d connections, want 2 of 4 by round-robin", l.Index(), n)
		}
	}
}

func TestUDPEchoRepliesToSender(t *testing.T) {
	h := newEchoHandler()
	_, addrs := startEngine(t, h, []string{"udp://127.0.0.1:0"})
	for i := range 3 {
		c := dial(t, addrs[0])
		for j := range 20 {
			msg := fmt.Appendf(nil, "client %d datagram %d", i, j)
			if _, err := c.Write(msg); err != nil {
				t.Fatal(err)
			}
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			buf := make([]byte, 100)
			n, err := c.Read(buf)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf[:n], msg) {
				t.Fatalf("got %q, want %q", buf[:n], msg)
			}
		}
	}
}

func TestSeveralListenersOnOneEngine(t *testing.T) {
	h := newEchoHandler()
	urls := []string{"tcp://127.0.0.1:0", "tcp6://[::1]:0", "udp://127.0.0.1:0"}
	if haveUnixSockets() {
		urls = append(urls, "unix://"+tempSocket(t))
	}
	_, addrs := startEngine(t, h, urls)
	for _, a := range addrs {
		t.Run(a.Network()+" "+a.String(), func(t *testing.T) {
			c := dial(t, a)
			if a.Network() == "udp" {
				c.Write([]byte("ping"))
				buf := make([]byte, 8)
				n, err := c.Read(buf)
				if err != nil || string(buf[:n]) != "ping" {
					t.Fatalf("udp echo = %q, %v", buf[:n], err)
				}
				return
			}
			if err := echoRoundTrip(c, 7, 100<<10); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestDualStackListenerServesBothFamilies(t *testing.T) {
	h := newEchoHandler()
	_, addrs := startEngine(t, h, []string{"tcp://:0"})
	port := addrs[0].(*net.TCPAddr).Port
	for _, host := range []string{"127.0.0.1", "::1"} {
		c, err := net.Dial("tcp", net.JoinHostPort(host, fmt.Sprint(port)))
		if err != nil {
			t.Fatal(err)
		}
		err = echoRoundTrip(c, 3, 1000)
		c.Close()
		if err != nil {
			t.Fatalf("%s: %v", host, err)
		}
	}
}

// addrRecorder records the addresses a connection reports when it opens and
// when it closes.
type addrRecorder struct {
	BaseHandler
	seen chan [4]string // open remote, open local, close remote, close local
	open map[*Conn][2]string
}

func (h *addrRecorder) OnOpen(c *Conn) ([]byte, Action) {
	h.open[c] = [2]string{fmt.Sprint(c.RemoteAddr()), fmt.Sprint(c.LocalAddr())}
	return []byte("hi"), None
}

func (h *addrRecorder) OnClose(c *Conn, err error) Action {
	o := h.open[c]
	delete(h.open, c)
	h.seen <- [4]string{o[0], o[1], fmt.Sprint(c.RemoteAddr()), fmt.Sprint(c.LocalAddr())}
	return None
}

// Every backend names both ends of an accepted connection, in OnOpen and
// still in OnClose, after its descriptor is gone: completion backends'
// accepts return no address, so theirs is asked for at accept.
func TestAcceptedConnectionKnowsBothAddresses(t *testing.T) {
	h := &addrRecorder{seen: make(chan [4]string, 1), open: map[*Conn][2]string{}}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0", "tcp6://[::1]:0"}, WithLoops(1))
	for _, a := range addrs {
		c := dial(t, a)
		want := [4]string{c.LocalAddr().String(), a.String(), c.LocalAddr().String(), a.String()}
		if _, err := io.ReadFull(c, make([]byte, 2)); err != nil {
			t.Fatal(err) // the server's greeting: OnOpen has run
		}
		c.(*net.TCPConn).SetLinger(0) // gone at once: nothing left to ask the kernel
		c.Close()
		select {
		case got := <-h.seen:
			if got != want {
				t.Errorf("remote, local at open and at close = %q, want %q", got, want)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("no connection closed within 20s")
		}
	}
}
