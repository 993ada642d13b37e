//go:build linux

package main

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// churnUpstream is an echo server for the churn tests: reply(b) is what it
// writes back for each read b (nil: close at once), and after each
// connection's EOF it closes it and records the bytes it read and the
// client's source address.
type churnUpstream struct {
	ln    net.Listener
	reply func([]byte) []byte
	mu    sync.Mutex
	conns int
	bytes int
	srcs  map[netip.Addr]bool
	ended chan struct{} // one send per connection closed
}

func startChurnUpstream(t *testing.T, reply func([]byte) []byte) *churnUpstream {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := &churnUpstream{ln: ln, reply: reply, srcs: map[netip.Addr]bool{}, ended: make(chan struct{}, 1<<16)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go u.serve(c)
		}
	}()
	return u
}

func (u *churnUpstream) serve(c net.Conn) {
	defer func() { u.ended <- struct{}{} }()
	defer c.Close()
	n := 0
	b := make([]byte, 512)
	for {
		k, err := c.Read(b)
		n += k
		if k > 0 {
			out := u.reply(b[:k])
			if out == nil {
				break
			}
			if _, err := c.Write(out); err != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	u.conns++
	u.bytes += n
	u.srcs[c.RemoteAddr().(*net.TCPAddr).AddrPort().Addr()] = true
}

// waitEnded waits for n connections to end at the upstream.
func (u *churnUpstream) waitEnded(t *testing.T, n int) {
	t.Helper()
	for i := range n {
		select {
		case <-u.ended:
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d of %d connections ended at the upstream", i, n)
		}
	}
}

func openFDs(t *testing.T) int {
	t.Helper()
	n, err := openSockets("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// settleFDs fails the test if this process, client, proxy and upstream
// together, still holds more than base sockets after 10 s: the proxy and
// the upstream close their ends after the client closes its own. (The
// io.Copy proxy's spare splice pipes stay pooled until a collection.)
func settleFDs(t *testing.T, what string, base int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := openFDs(t)
		if n <= base {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%s: %d sockets open after the load, %d before", what, n, base)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestChurnLoadThroughProxy runs the churn load through the io.Copy proxy
// to an echo upstream and checks that every connection the client counts
// reached the upstream with its request and was closed there, that the
// client spread its sources over loopback addresses, and that it left no
// descriptor open.
func TestChurnLoadThroughProxy(t *testing.T) {
	up := startChurnUpstream(t, func(b []byte) []byte { return b })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go ioCopyProxy(ln, up.ln.Addr().String())

	fds := openFDs(t)
	marks := 0
	conns, took, p50, p99, err := churnLoad(ln.Addr().String(), 4, nil, 100*time.Millisecond, func() { marks++ })
	if err != nil {
		t.Fatal(err)
	}
	if conns < 4 || marks != 2 || took < 100*time.Millisecond || p50 <= 0 || p99 < p50 {
		t.Fatalf("conns %d, marks %d, took %v, p50 %v, p99 %v", conns, marks, took, p50, p99)
	}
	up.waitEnded(t, conns)
	settleFDs(t, "proxied", fds)
	up.mu.Lock()
	defer up.mu.Unlock()
	if up.conns != conns || up.bytes != conns*churnMsg {
		t.Errorf("upstream: %d connections, %d bytes; the client counted %d connections of %d bytes", up.conns, up.bytes, conns, churnMsg)
	}
}

// TestChurnClientSources checks that the client's connections come from
// more than one loopback address, so that their TIME_WAITs spread.
func TestChurnClientSources(t *testing.T) {
	up := startChurnUpstream(t, func(b []byte) []byte { return b })
	c, err := newChurnClient(netip.MustParseAddrPort(up.ln.Addr().String()), 2)
	if err != nil {
		t.Fatal(err)
	}
	conns, _, err := c.Run(time.Millisecond)
	if cerr := c.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	up.waitEnded(t, conns)
	up.mu.Lock()
	defer up.mu.Unlock()
	if want := min(conns, churnSources); len(up.srcs) < want {
		t.Errorf("%d connections came from %d addresses, want %d", conns, len(up.srcs), want)
	}
	for a := range up.srcs {
		if !a.IsLoopback() {
			t.Errorf("source %v is not a loopback address", a)
		}
	}
}

// TestChurnLoadFails checks that a wrong echo, an echo cut short and a
// refused connection each end the load with an error, after both marks,
// and leave no descriptor open.
func TestChurnLoadFails(t *testing.T) {
	flip := startChurnUpstream(t, func(b []byte) []byte {
		out := append([]byte(nil), b...)
		out[len(out)-1] ^= 1
		return out
	})
	cut := startChurnUpstream(t, func([]byte) []byte { return nil })
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := closed.Addr().String()
	closed.Close()
	for _, tc := range []struct {
		name, addr string
		is         error
		says       string
	}{
		{"mismatch", flip.ln.Addr().String(), errChurnMismatch, ""},
		{"cut short", cut.ln.Addr().String(), nil, "closed after 0 of 64 bytes echoed"},
		{"refused", refused, nil, "connection refused"},
	} {
		fds := openFDs(t)
		marks := 0
		_, _, _, _, err := churnLoad(tc.addr, 3, nil, time.Second, func() { marks++ })
		switch {
		case err == nil:
			t.Errorf("%s: no error", tc.name)
		case tc.is != nil && !errors.Is(err, tc.is):
			t.Errorf("%s: %v, want %v", tc.name, err, tc.is)
		case !strings.Contains(err.Error(), tc.says):
			t.Errorf("%s: %v, want it to say %q", tc.name, err, tc.says)
		}
		if marks != 2 {
			t.Errorf("%s: %d marks, want 2", tc.name, marks)
		}
		settleFDs(t, tc.name, fds)
	}
}

// TestFDsSettle checks the socket count of a process, which leaves its
// other descriptors out, and the error for one that holds more sockets
// than it did.
func TestFDsSettle(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	f, err := ln.(*net.TCPListener).File() // inherited by the child as fd 3
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command("sleep", "60")
	cmd.ExtraFiles = []*os.File{f}
	if err := cmd.Start(); err != nil {
		t.Skip("no sleep(1):", err)
	}
	srv := &server{cmd: cmd}
	defer srv.stop()
	if n, err := srv.fds(); err != nil || n != 1 {
		t.Fatalf("fds = %d, %v; want the one socket", n, err)
	}
	if err := srv.fdsSettle(1, time.Millisecond); err != nil {
		t.Errorf("settle at its own count: %v", err)
	}
	if err := srv.fdsSettle(0, time.Millisecond); err == nil || !strings.Contains(err.Error(), "1 sockets open") {
		t.Errorf("settle below its count: %v", err)
	}
}
