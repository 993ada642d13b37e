package poller_test

// Tests of the IOCP backend. They run under Wine on Linux through
// scripts/wine-test.sh, and on Windows with go test.

import (
	"net"
	"sync"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/sockloop/sockloop/poller"
)

var procAccept = windows.NewLazySystemDLL("ws2_32.dll").NewProc("accept")

func newPoller(t *testing.T, opts poller.Options) poller.Poller {
	t.Helper()
	p, err := poller.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Error(err)
		}
	})
	return p
}

// overlappedSocket makes a socket of its own, not one claimed by the runtime's
// completion port as every socket made through package net is.
func overlappedSocket(t *testing.T, typ, proto int32) windows.Handle {
	t.Helper()
	h, err := windows.WSASocket(windows.AF_INET, typ, proto, nil, 0, windows.WSA_FLAG_OVERLAPPED)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { windows.Closesocket(h) })
	return h
}

var loopback = &windows.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}

// listener returns a listening TCP socket on loopback and its address.
func listener(t *testing.T) (windows.Handle, windows.Sockaddr) {
	t.Helper()
	ln := overlappedSocket(t, windows.SOCK_STREAM, windows.IPPROTO_TCP)
	if err := windows.Bind(ln, loopback); err != nil {
		t.Fatal(err)
	}
	if err := windows.Listen(ln, 16); err != nil {
		t.Fatal(err)
	}
	sa, err := windows.Getsockname(ln)
	if err != nil {
		t.Fatal(err)
	}
	return ln, sa
}

func accept(t *testing.T, ln windows.Handle) windows.Handle {
	t.Helper()
	r, _, e := procAccept.Call(uintptr(ln), 0, 0)
	if windows.Handle(r) == windows.InvalidHandle {
		t.Fatalf("accept: %v", e)
	}
	h := windows.Handle(r)
	t.Cleanup(func() { windows.Closesocket(h) })
	return h
}

// tcpPair returns the two ends of a loopback TCP connection.
func tcpPair(t *testing.T) (client, server windows.Handle) {
	t.Helper()
	ln, sa := listener(t)
	client = overlappedSocket(t, windows.SOCK_STREAM, windows.IPPROTO_TCP)
	if err := windows.Connect(client, sa); err != nil {
		t.Fatal(err)
	}
	return client, accept(t, ln)
}

func send(t *testing.T, h windows.Handle, b []byte) {
	t.Helper()
	buf := windows.WSABuf{Len: uint32(len(b)), Buf: unsafe.SliceData(b)}
	var n uint32
	if err := windows.WSASend(h, &buf, 1, &n, 0, nil, nil); err != nil || int(n) != len(b) {
		t.Fatalf("send: %d, %v", n, err)
	}
}

func recv(t *testing.T, h windows.Handle, b []byte) int {
	t.Helper()
	buf := windows.WSABuf{Len: uint32(len(b)), Buf: unsafe.SliceData(b)}
	var n, flags uint32
	if err := windows.WSARecv(h, &buf, 1, &n, &flags, nil, nil); err != nil {
		t.Fatalf("recv: %v", err)
	}
	return int(n)
}

// waitFor returns the events one Wait reported for fd, waiting up to a
// generous bound so that a slow machine does not fail the test.
func waitFor(t *testing.T, p poller.Poller, fd windows.Handle, timeout time.Duration) poller.Event {
	t.Helper()
	ready := make([]poller.Ready, 16)
	n, err := p.Wait(ready, timeout)
	if err != nil {
		t.Fatal(err)
	}
	var got poller.Event
	for _, r := range ready[:n] {
		if r.Fd == int(fd) {
			got |= r.Events
		}
	}
	return got
}

func TestIOCPReadableAfterPeerWrites(t *testing.T) {
	p := newPoller(t, poller.Options{})
	client, server := tcpPair(t)
	if err := p.Add(int(server), poller.Readable); err != nil {
		t.Fatal(err)
	}
	if ev := waitFor(t, p, server, 20*time.Millisecond); ev != 0 {
		t.Fatalf("before the peer wrote: %v, want nothing", ev)
	}
	send(t, client, []byte("x"))
	if ev := waitFor(t, p, server, 5*time.Second); ev&poller.Readable == 0 {
		t.Fatalf("after a write by the peer: %v, want Readable", ev)
	}
}

func TestIOCPWritableOnConnected(t *testing.T) {
	p := newPoller(t, poller.Options{})
	_, server := tcpPair(t)
	if err := p.Add(int(server), poller.Readable); err != nil {
		t.Fatal(err)
	}
	if ev := waitFor(t, p, server, 0); ev != 0 {
		t.Fatalf("with read interest and nothing sent: %v, want nothing", ev)
	}
	if err := p.Modify(int(server), poller.Readable|poller.Writable); err != nil {
		t.Fatal(err)
	}
	if ev := waitFor(t, p, server, 5*time.Second); ev != poller.Writable {
		t.Fatalf("with write interest on an empty send buffer: %v, want Writable", ev)
	}
	// Level-triggered: still writable, so reported again.
	if ev := waitFor(t, p, server, 0); ev != poller.Writable {
		t.Fatalf("second Wait: %v, want Writable", ev)
	}
	if err := p.Modify(int(server), poller.Readable); err != nil {
		t.Fatal(err)
	}
	if ev := waitFor(t, p, server, 20*time.Millisecond); ev != 0 {
		t.Fatalf("after dropping write interest: %v, want nothing", ev)
	}
}

func TestIOCPLevelTriggeredReportsAgain(t *testing.T) {
	p := newPoller(t, poller.Options{})
	client, server := tcpPair(t)
	if err := p.Add(int(server), poller.Readable); err != nil {
		t.Fatal(err)
	}
	send(t, client, []byte("unread"))
	if ev := waitFor(t, p, server, 5*time.Second); ev&poller.Readable == 0 {
		t.Fatalf("first Wait: %v, want Readable", ev)
	}
	// Nothing was read: the receive posted again completes at once.
	if ev := waitFor(t, p, server, 0); ev&poller.Readable == 0 {
		t.Fatalf("second Wait without reading: %v, want Readable again", ev)
	}
	buf := make([]byte, 64)
	if n := recv(t, server, buf); string(buf[:n]) != "unread" {
		t.Fatalf("read %q", buf[:n])
	}
	// Drained: the Wait after the one that posts the receive reports nothing.
	waitFor(t, p, server, 0) // may still carry the completion posted before the read
	if ev := waitFor(t, p, server, 50*time.Millisecond); ev != 0 {
		t.Fatalf("after draining: %v, want nothing", ev)
	}
	send(t, client, []byte("more"))
	if ev := waitFor(t, p, server, 5*time.Second); ev&poller.Readable == 0 {
		t.Fatalf("after more data: %v, want Readable", ev)
	}
}

func TestIOCPDeleteStopsReports(t *testing.T) {
	p := newPoller(t, poller.Options{})
	client, server := tcpPair(t)
	if err := p.Add(int(server), poller.Readable); err != nil {
		t.Fatal(err)
	}
	// This Wait posts the zero-byte receive that Delete must cancel.
	if ev := waitFor(t, p, server, 10*time.Millisecond); ev != 0 {
		t.Fatalf("before the peer wrote: %v", ev)
	}
	if err := p.Delete(int(server)); err != nil {
		t.Fatal(err)
	}
	send(t, client, []byte("x"))
	ready := make([]poller.Ready, 4)
	n, err := p.Wait(ready, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("Wait after Delete reported %v", ready[:n])
	}
	if err := p.Delete(int(server)); err == nil {
		t.Fatal("second Delete succeeded")
	}
	// The socket stays associated with this port: adding it again works.
	if err := p.Add(int(server), poller.Readable); err != nil {
		t.Fatal(err)
	}
	if ev := waitFor(t, p, server, 5*time.Second); ev&poller.Readable == 0 {
		t.Fatalf("after adding it again: %v, want Readable", ev)
	}
}

func TestIOCPWakeFromOtherGoroutines(t *testing.T) {
	p := newPoller(t, poller.Options{})
	ready := make([]poller.Ready, 4)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); p.Wake() }()
	}
	// With no sockets and no timeout, only a wake-up can end this Wait.
	if n, err := p.Wait(ready, -1); err != nil || n != 0 {
		t.Fatalf("Wait after Wake = %d, %v; want 0, nil", n, err)
	}
	wg.Wait()
	p.Wait(ready, 0)
	go func() {
		time.Sleep(20 * time.Millisecond)
		p.Wake()
	}()
	start := time.Now()
	if n, err := p.Wait(ready, -1); err != nil || n != 0 {
		t.Fatalf("second Wait after Wake = %d, %v; want 0, nil", n, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Wake took %v to end a blocking Wait", d)
	}
}

func TestIOCPWaitTimeout(t *testing.T) {
	p := newPoller(t, poller.Options{})
	_, server := tcpPair(t)
	p.Add(int(server), poller.Readable)
	ready := make([]poller.Ready, 4)
	for _, timeout := range []time.Duration{0, 20 * time.Millisecond} {
		start := time.Now()
		n, err := p.Wait(ready, timeout)
		if err != nil || n != 0 {
			t.Fatalf("Wait(%v) = %d, %v; want 0, nil", timeout, n, err)
		}
		if elapsed := time.Since(start); elapsed < timeout {
			t.Fatalf("Wait returned after %v, before its %v timeout", elapsed, timeout)
		}
	}
}

func TestIOCPListenerReadable(t *testing.T) {
	p := newPoller(t, poller.Options{})
	ln, sa := listener(t)
	if err := p.Add(int(ln), poller.Readable); err != nil {
		t.Fatal(err)
	}
	if ev := waitFor(t, p, ln, 20*time.Millisecond); ev != 0 {
		t.Fatalf("with no connection: %v, want nothing", ev)
	}
	client := overlappedSocket(t, windows.SOCK_STREAM, windows.IPPROTO_TCP)
	go func() {
		time.Sleep(30 * time.Millisecond)
		windows.Connect(client, sa)
	}()
	// A connection arriving during a blocking Wait ends it.
	if ev := waitFor(t, p, ln, 5*time.Second); ev != poller.Readable {
		t.Fatalf("after a connect: %v, want Readable", ev)
	}
	if ev := waitFor(t, p, ln, 0); ev != poller.Readable {
		t.Fatalf("not accepted yet: %v, want Readable again", ev)
	}
	accept(t, ln)
	if ev := waitFor(t, p, ln, 20*time.Millisecond); ev != 0 {
		t.Fatalf("after accept: %v, want nothing", ev)
	}
}

func TestIOCPPeerCloseIsReadable(t *testing.T) {
	p := newPoller(t, poller.Options{})
	client, server := tcpPair(t)
	if err := p.Add(int(server), poller.Readable); err != nil {
		t.Fatal(err)
	}
	waitFor(t, p, server, 0)
	windows.Shutdown(client, windows.SHUT_WR)
	if ev := waitFor(t, p, server, 5*time.Second); ev&(poller.Readable|poller.Hangup) == 0 {
		t.Fatalf("after the peer shut down: %v, want Readable or Hangup", ev)
	}
	if n := recv(t, server, make([]byte, 8)); n != 0 {
		t.Fatalf("read %d bytes after FIN, want 0", n)
	}
}

func TestIOCPDatagramPeekKeepsData(t *testing.T) {
	p := newPoller(t, poller.Options{})
	a := overlappedSocket(t, windows.SOCK_DGRAM, windows.IPPROTO_UDP)
	if err := windows.Bind(a, loopback); err != nil {
		t.Fatal(err)
	}
	sa, err := windows.Getsockname(a)
	if err != nil {
		t.Fatal(err)
	}
	b := overlappedSocket(t, windows.SOCK_DGRAM, windows.IPPROTO_UDP)
	if err := p.Add(int(a), poller.Readable); err != nil {
		t.Fatal(err)
	}
	waitFor(t, p, a, 0)
	if err := windows.Sendto(b, []byte("datagram"), 0, sa); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if ev := waitFor(t, p, a, 5*time.Second); ev&poller.Readable == 0 {
			t.Fatalf("Wait %d: %v, want Readable", i, ev)
		}
	}
	buf := make([]byte, 64)
	n, _, err := windows.Recvfrom(a, buf, 0)
	if err != nil || string(buf[:n]) != "datagram" {
		t.Fatalf("recvfrom = %q, %v; the zero-byte peek must leave the datagram queued", buf[:n], err)
	}
}

func TestIOCPCloseWithPendingReceive(t *testing.T) {
	p, err := poller.New(poller.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, server := tcpPair(t)
	p.Add(int(server), poller.Readable)
	p.Wait(make([]poller.Ready, 4), 0) // posts the receive
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Wait(make([]poller.Ready, 4), 0); err != poller.ErrClosed {
		t.Fatalf("Wait after Close: %v, want ErrClosed", err)
	}
}

var procIoctlsocket = windows.NewLazySystemDLL("ws2_32.dll").NewProc("ioctlsocket")

func setNonblock(t *testing.T, h windows.Handle) {
	t.Helper()
	const fionbio = 0x8004667e
	on := uint32(1)
	if r, _, e := procIoctlsocket.Call(uintptr(h), fionbio, uintptr(unsafe.Pointer(&on))); r != 0 {
		t.Fatalf("ioctlsocket(FIONBIO): %v", e)
	}
}

func TestIOCPNonblockingConnect(t *testing.T) {
	p := newPoller(t, poller.Options{})
	ln, sa := listener(t)
	client := overlappedSocket(t, windows.SOCK_STREAM, windows.IPPROTO_TCP)
	setNonblock(t, client)
	if err := windows.Connect(client, sa); err != nil && err != windows.WSAEWOULDBLOCK {
		t.Fatal(err)
	}
	// Read interest before the connection is up: the zero-byte receive cannot
	// be posted yet, so the backend polls until it can.
	if err := p.Add(int(client), poller.Readable|poller.Writable); err != nil {
		t.Fatal(err)
	}
	if ev := waitFor(t, p, client, 5*time.Second); ev != poller.Writable {
		t.Fatalf("connect done: %v, want Writable", ev)
	}
	if err := p.Modify(int(client), poller.Readable); err != nil {
		t.Fatal(err)
	}
	server := accept(t, ln)
	if ev := waitFor(t, p, client, 20*time.Millisecond); ev != 0 {
		t.Fatalf("connected, nothing sent: %v, want nothing", ev)
	}
	send(t, server, []byte("hi"))
	if ev := waitFor(t, p, client, 5*time.Second); ev != poller.Readable {
		t.Fatalf("after the server wrote: %v, want Readable", ev)
	}
}

func TestIOCPConnectRefused(t *testing.T) {
	p := newPoller(t, poller.Options{})
	ln, sa := listener(t)
	windows.Closesocket(ln) // nothing listens on sa any more
	client := overlappedSocket(t, windows.SOCK_STREAM, windows.IPPROTO_TCP)
	setNonblock(t, client)
	if err := windows.Connect(client, sa); err != nil && err != windows.WSAEWOULDBLOCK {
		t.Skipf("connect failed at once: %v", err)
	}
	if err := p.Add(int(client), poller.Writable); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if ev := waitFor(t, p, client, time.Second); ev != 0 {
			if ev&(poller.Error|poller.Hangup) == 0 {
				t.Fatalf("refused connect: %v, want Error or Hangup", ev)
			}
			return
		}
	}
	t.Fatal("refused connect never reported")
}

func TestIOCPListenAfterAdd(t *testing.T) {
	p := newPoller(t, poller.Options{})
	ln := overlappedSocket(t, windows.SOCK_STREAM, windows.IPPROTO_TCP)
	if err := windows.Bind(ln, loopback); err != nil {
		t.Fatal(err)
	}
	if err := p.Add(int(ln), poller.Readable); err != nil {
		t.Fatal(err)
	}
	if ev := waitFor(t, p, ln, 0); ev&poller.Readable != 0 {
		t.Fatalf("bound, not listening: %v", ev)
	}
	if err := windows.Listen(ln, 4); err != nil {
		t.Fatal(err)
	}
	sa, _ := windows.Getsockname(ln)
	if ev := waitFor(t, p, ln, 20*time.Millisecond); ev != 0 {
		t.Fatalf("listening, no connection: %v, want nothing", ev)
	}
	client := overlappedSocket(t, windows.SOCK_STREAM, windows.IPPROTO_TCP)
	if err := windows.Connect(client, sa); err != nil {
		t.Fatal(err)
	}
	if ev := waitFor(t, p, ln, 5*time.Second); ev != poller.Readable {
		t.Fatalf("after a connect: %v, want Readable", ev)
	}
}

func TestIOCPResetIsHangup(t *testing.T) {
	p := newPoller(t, poller.Options{})
	client, server := tcpPair(t)
	if err := p.Add(int(server), poller.Readable); err != nil {
		t.Fatal(err)
	}
	waitFor(t, p, server, 0) // posts the receive
	// Linger 0: closing sends a reset instead of a FIN.
	if err := windows.SetsockoptLinger(client, windows.SOL_SOCKET, windows.SO_LINGER, &windows.Linger{Onoff: 1, Linger: 0}); err != nil {
		t.Fatal(err)
	}
	windows.Closesocket(client)
	if ev := waitFor(t, p, server, 5*time.Second); ev&poller.Readable == 0 || ev&(poller.Hangup|poller.Error) == 0 {
		t.Fatalf("after a reset: %v, want Readable with Hangup or Error", ev)
	}
}

func TestIOCPShortReadySliceKeepsTheRest(t *testing.T) {
	p := newPoller(t, poller.Options{})
	want := map[int]bool{}
	for range 3 {
		client, server := tcpPair(t)
		if err := p.Add(int(server), poller.Readable); err != nil {
			t.Fatal(err)
		}
		send(t, client, []byte("x"))
		want[int(server)] = true
	}
	ready := make([]poller.Ready, 1)
	deadline := time.Now().Add(5 * time.Second)
	for len(want) > 0 && time.Now().Before(deadline) {
		n, err := p.Wait(ready, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if n > 1 {
			t.Fatalf("Wait filled %d entries of a 1-entry slice", n)
		}
		if n == 1 {
			delete(want, ready[0].Fd)
		}
	}
	if len(want) > 0 {
		t.Fatalf("never reported: %v", want)
	}
}

func TestIOCPRefusesSocketOfPackageNet(t *testing.T) {
	p := newPoller(t, poller.Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	rc, err := ln.(*net.TCPListener).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var addErr error
	rc.Control(func(fd uintptr) { addErr = p.Add(int(fd), poller.Readable) })
	if addErr == nil {
		t.Fatal("Add accepted a socket owned by the runtime's completion port")
	}
	t.Log(addErr)
}
