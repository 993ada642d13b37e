package poller_test

// Tests of the IOCP Completer: accept, receive, send, connect and
// cancellation through the completion port. They run under Wine through
// scripts/wine-test.sh.

import (
	"bytes"
	"testing"
	"time"

	"golang.org/x/sys/windows"

	"github.com/sockloop/sockloop/internal/completion"
	"github.com/sockloop/sockloop/poller"
)

func completer(t *testing.T, opts poller.Options) (poller.Poller, completion.Completer) {
	t.Helper()
	p := newPoller(t, opts)
	c := completion.Of(p)
	if c == nil {
		t.Fatal("the IOCP poller offers no Completer")
	}
	return p, c
}

// reaper collects completions across Waits, copying received bytes and
// giving their buffers back unless told to keep them.
type reaper struct {
	t    *testing.T
	p    poller.Poller
	c    completion.Completer
	keep bool
	got  []completion.Completion
	data map[uint64][]byte // received bytes per token
}

func newReaper(t *testing.T, p poller.Poller, c completion.Completer) *reaper {
	return &reaper{t: t, p: p, c: c, data: make(map[uint64][]byte)}
}

// until waits until done reports true of what was reaped, or fails.
func (r *reaper) until(what string, done func() bool) {
	r.t.Helper()
	ready := make([]poller.Ready, 16)
	deadline := time.Now().Add(10 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			r.t.Fatalf("%s: not within 10s; reaped %+v", what, r.got)
		}
		if _, err := r.p.Wait(ready, 100*time.Millisecond); err != nil {
			r.t.Fatal(err)
		}
		for _, cp := range r.c.Completions() {
			if cp.Buf != nil {
				if int(cp.Res) != len(cp.Buf) {
					r.t.Errorf("receive completion: Res %d with %d bytes in Buf", cp.Res, len(cp.Buf))
				}
				r.data[cp.Token] = append(r.data[cp.Token], cp.Buf...)
				if !r.keep {
					r.c.ReleaseBuffer(cp.BufID)
				}
				cp.Buf = nil
			}
			r.got = append(r.got, cp)
		}
	}
}

// last returns the last completion of op with token, if any.
func (r *reaper) last(op completion.Op, token uint64) (completion.Completion, bool) {
	for i := len(r.got) - 1; i >= 0; i-- {
		if cp := r.got[i]; cp.Op == op && cp.Token == token {
			return cp, true
		}
	}
	return completion.Completion{}, false
}

// ended reports whether op with token delivered its last completion.
func (r *reaper) ended(op completion.Op, token uint64) bool {
	cp, ok := r.last(op, token)
	return ok && !cp.More
}

func TestCompleterAcceptIsMultishot(t *testing.T) {
	p, c := completer(t, poller.Options{})
	ln, sa := listener(t)
	if err := c.Accept(int(ln), 7); err != nil {
		t.Fatal(err)
	}
	r := newReaper(t, p, c)
	var clients []windows.Handle
	for range 3 {
		cl := overlappedSocket(t, windows.SOCK_STREAM, windows.IPPROTO_TCP)
		if err := windows.Connect(cl, sa); err != nil {
			t.Fatal(err)
		}
		clients = append(clients, cl)
	}
	var accepted []windows.Handle
	r.until("three accepts", func() bool {
		accepted = accepted[:0]
		for _, cp := range r.got {
			if cp.Op == completion.OpAccept && cp.Token == 7 && cp.Res > 0 {
				accepted = append(accepted, windows.Handle(cp.Res))
			}
		}
		return len(accepted) == 3
	})
	for _, h := range accepted {
		t.Cleanup(func() { windows.Closesocket(h) })
	}
	for _, cp := range r.got {
		if !cp.More || cp.Err() != nil {
			t.Fatalf("accept completion %+v: want More set and no error", cp)
		}
	}
	// Each accepted socket is usable: its peer is one of the clients, and
	// bytes pass.
	for i, cl := range clients {
		local, err := windows.Getsockname(cl)
		if err != nil {
			t.Fatal(err)
		}
		port := local.(*windows.SockaddrInet4).Port
		found := false
		for _, h := range accepted {
			peer, err := windows.Getpeername(h)
			if err != nil {
				t.Fatalf("getpeername on an accepted socket: %v", err)
			}
			if peer.(*windows.SockaddrInet4).Port == port {
				found = true
				send(t, cl, []byte{byte('a' + i)})
				b := make([]byte, 1)
				if n := recv(t, h, b); n != 1 || b[0] != byte('a'+i) {
					t.Fatalf("accepted socket read %q, want %q", b[:n], string(rune('a'+i)))
				}
			}
		}
		if !found {
			t.Fatalf("client port %d not among the accepted sockets' peers", port)
		}
	}
	// Cancel ends the accept with one last completion.
	if err := c.Cancel(completion.OpAccept, 7); err != nil {
		t.Fatal(err)
	}
	r.until("the cancelled accept's end", func() bool { return r.ended(completion.OpAccept, 7) })
	if cp, _ := r.last(completion.OpAccept, 7); cp.Err() != windows.ERROR_OPERATION_ABORTED {
		t.Fatalf("cancelled accept ended with %v, want ERROR_OPERATION_ABORTED", cp.Err())
	}
}

func TestCompleterRecvSendEcho(t *testing.T) {
	p, c := completer(t, poller.Options{})
	client, server := tcpPair(t)
	setNonblock(t, server)
	if err := c.Recv(int(server), 1, 0); err != nil {
		t.Fatal(err)
	}
	r := newReaper(t, p, c)
	send(t, client, []byte("hello"))
	r.until("hello received", func() bool { return len(r.data[1]) == 5 })
	if got := string(r.data[1]); got != "hello" {
		t.Fatalf("received %q, want hello", got)
	}
	if cp, _ := r.last(completion.OpRecv, 1); !cp.More {
		t.Fatal("the receive ended after one chunk; want it armed (More)")
	}
	// A gathered send: the slices arrive in order as one stream.
	big := bytes.Repeat([]byte("0123456789"), 100_000)
	if err := c.Send(int(server), [][]byte{[]byte("wor"), []byte("ld"), big}, 2); err != nil {
		t.Fatal(err)
	}
	want := append([]byte("world"), big...)
	got := make([]byte, 0, len(want))
	done := make(chan struct{})
	go func() {
		defer close(done)
		b := make([]byte, 64<<10)
		for len(got) < len(want) {
			buf := windows.WSABuf{Len: uint32(len(b)), Buf: &b[0]}
			var n, flags uint32
			if err := windows.WSARecv(client, &buf, 1, &n, &flags, nil, nil); err != nil || n == 0 {
				return
			}
			got = append(got, b[:n]...)
		}
	}()
	r.until("the send's completion", func() bool { _, ok := r.last(completion.OpSend, 2); return ok })
	<-done
	if cp, _ := r.last(completion.OpSend, 2); cp.Res != int32(len(want)) {
		t.Fatalf("send completed with %d, want %d", cp.Res, len(want))
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("peer read %d bytes that differ from the %d sent", len(got), len(want))
	}
	// The peer's FIN ends the receive with Res 0.
	windows.Shutdown(client, windows.SHUT_WR)
	r.until("end of input", func() bool { return r.ended(completion.OpRecv, 1) })
	if cp, _ := r.last(completion.OpRecv, 1); cp.Res != 0 {
		t.Fatalf("end of input: Res %d, want 0", cp.Res)
	}
}

func TestCompleterRecvRunsOutOfBuffers(t *testing.T) {
	p, c := completer(t, poller.Options{})
	c.SizeBuffers(1, 64)
	c1, s1 := tcpPair(t)
	c2, s2 := tcpPair(t)
	setNonblock(t, s1)
	setNonblock(t, s2)
	if err := c.Recv(int(s1), 1, 0); err != nil {
		t.Fatal(err)
	}
	r := newReaper(t, p, c)
	r.keep = true // hold the only buffer
	send(t, c1, []byte("first"))
	r.until("first chunk", func() bool { return len(r.data[1]) == 5 })
	held, _ := r.last(completion.OpRecv, 1)
	if err := c.Recv(int(s2), 2, 0); err != nil {
		t.Fatal(err)
	}
	send(t, c2, []byte("second"))
	r.until("the starved receive's end", func() bool { return r.ended(completion.OpRecv, 2) })
	if cp, _ := r.last(completion.OpRecv, 2); cp.Err() != windows.WSAENOBUFS {
		t.Fatalf("receive without buffers ended with %v, want WSAENOBUFS", cp.Err())
	}
	// The data waited in the socket: once the buffer is back, a new receive
	// brings it.
	c.ReleaseBuffer(held.BufID)
	r.keep = false
	if err := c.Recv(int(s2), 2, 0); err != nil {
		t.Fatal(err)
	}
	r.until("second chunk", func() bool { return len(r.data[2]) == 6 })
	if got := string(r.data[2]); got != "second" {
		t.Fatalf("received %q, want second", got)
	}
}

func TestCompleterCancelRecvAndCancelFd(t *testing.T) {
	p, c := completer(t, poller.Options{})
	client, server := tcpPair(t)
	setNonblock(t, server)
	r := newReaper(t, p, c)
	if err := c.Recv(int(server), 5, 0); err != nil {
		t.Fatal(err)
	}
	if err := c.Cancel(completion.OpRecv, 5); err != nil {
		t.Fatal(err)
	}
	r.until("cancelled receive's end", func() bool { return r.ended(completion.OpRecv, 5) })
	if cp, _ := r.last(completion.OpRecv, 5); cp.Err() != windows.ERROR_OPERATION_ABORTED {
		t.Fatalf("cancelled receive ended with %v, want ERROR_OPERATION_ABORTED", cp.Err())
	}
	// Bytes sent meanwhile stayed in the socket for the next receive.
	send(t, client, []byte("kept"))
	if err := c.Recv(int(server), 6, 0); err != nil {
		t.Fatal(err)
	}
	r.until("kept bytes", func() bool { return string(r.data[6]) == "kept" })
	// CancelFd ends the armed receive too.
	if err := c.CancelFd(int(server)); err != nil {
		t.Fatal(err)
	}
	r.until("receive ended by CancelFd", func() bool { return r.ended(completion.OpRecv, 6) })
}

func TestCompleterConnect(t *testing.T) {
	p, c := completer(t, poller.Options{})
	conn, ok := c.(completion.Connector)
	if !ok {
		t.Fatal("the IOCP Completer has no Connector")
	}
	ln, sa := listener(t)
	client := overlappedSocket(t, windows.SOCK_STREAM, windows.IPPROTO_TCP)
	setNonblock(t, client)
	if err := conn.Connect(int(client), sa, 3); err != nil {
		t.Fatal(err)
	}
	r := newReaper(t, p, c)
	r.until("connect", func() bool { _, ok := r.last(completion.OpConnect, 3); return ok })
	if cp, _ := r.last(completion.OpConnect, 3); cp.Res != 0 {
		t.Fatalf("connect: %v, want success", cp.Err())
	}
	if _, err := windows.Getpeername(client); err != nil {
		t.Fatalf("getpeername after ConnectEx: %v", err)
	}
	server := accept(t, ln)
	if err := c.Send(int(client), [][]byte{[]byte("ping")}, 4); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 8)
	if n := recv(t, server, b); string(b[:n]) != "ping" {
		t.Fatalf("server read %q, want ping", b[:n])
	}

	// Nothing listens any more: the connect fails with the refusal.
	windows.Closesocket(ln)
	refused := overlappedSocket(t, windows.SOCK_STREAM, windows.IPPROTO_TCP)
	if err := conn.Connect(int(refused), sa, 8); err != nil {
		t.Fatal(err)
	}
	r.until("refused connect", func() bool { _, ok := r.last(completion.OpConnect, 8); return ok })
	if cp, _ := r.last(completion.OpConnect, 8); cp.Err() != windows.WSAECONNREFUSED {
		t.Fatalf("connect to a closed port: %v (Res %d), want WSAECONNREFUSED", cp.Err(), cp.Res)
	}
}

func TestCompleterWakeWithOperationsArmed(t *testing.T) {
	p, err := poller.New(poller.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := completion.Of(p)
	_, server := tcpPair(t)
	setNonblock(t, server)
	if err := c.Recv(int(server), 1, 0); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(50 * time.Millisecond)
		p.Wake()
	}()
	start := time.Now()
	if _, err := p.Wait(make([]poller.Ready, 4), 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Wait returned after %v; Wake did not end it", d)
	}
	if n := len(c.Completions()); n != 0 {
		t.Fatalf("%d completions with nothing received", n)
	}
	// Close with the receive still armed cancels it and waits for it.
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
}
