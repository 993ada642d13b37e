package poller

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/internal/completion"
)

// newTestOps is newTestURing for a poller whose Completer the kernel offers.
func newTestOps(t *testing.T, opts Options, sq, cq uint32) *uringPoller {
	t.Helper()
	p := newTestURing(t, opts, sq, cq)
	if completion.Of(p) == nil {
		t.Skip("kernel lacks multishot receive (Linux 6.0)")
	}
	return p
}

// listenTCP returns a non-blocking listening socket on 127.0.0.1 and its
// address.
func listenTCP(t *testing.T) (int, string) {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(fd, 128); err != nil {
		t.Fatal(err)
	}
	sa, _ := unix.Getsockname(fd)
	return fd, fmt.Sprintf("127.0.0.1:%d", sa.(*unix.SockaddrInet4).Port)
}

// echoDriver serves an echo with the Completer alone, as the loop does:
// a multishot accept, a multishot receive per connection, each received
// buffer sent back as it is and released once its send completes, receives
// armed again when they end (buffers ran out, the CQ overflowed).
type echoDriver struct {
	t        *testing.T
	p        *uringPoller
	lfd      int
	conns    map[int]*echoConn
	starved  []int // connections whose receive ended for want of buffers
	ended    int   // connections closed after their peer's FIN
	enobufs  int
	rearms   int
	inflight int // operations whose last completion is still to come
}

type echoConn struct {
	sending bool
	queue   [][]byte // buffers to send, the first in flight when sending
	ids     []uint16
	eof     bool
}

func (d *echoDriver) turn(ready []Ready) {
	d.t.Helper()
	if _, err := d.p.Wait(ready, 10*time.Millisecond); err != nil {
		d.t.Fatal(err)
	}
	for _, c := range d.p.Completions() {
		if !c.More {
			d.inflight--
		}
		switch c.Op {
		case completion.OpAccept:
			if c.Res == -int32(unix.ECANCELED) {
				continue
			}
			if !c.More {
				// Ended with its last connection, as a CQ overflow ends it.
				d.rearms++
				if err := d.p.Accept(d.lfd, c.Token); err != nil {
					d.t.Fatal(err)
				}
				d.inflight++
			}
			if c.Res < 0 {
				d.t.Errorf("accept: %v", c.Err())
				continue
			}
			fd := int(c.Res)
			d.conns[fd] = &echoConn{}
			d.arm(fd)
		case completion.OpRecv:
			ec := d.conns[int(c.Token)]
			switch {
			case c.Res == -int32(unix.ENOBUFS):
				d.enobufs++
				d.starved = append(d.starved, int(c.Token))
				continue
			case c.Res < 0:
				d.t.Errorf("recv: %v", c.Err())
				continue
			case c.Res == 0:
				ec.eof = true
				d.maybeClose(int(c.Token))
				continue
			}
			ec.queue = append(ec.queue, c.Buf)
			ec.ids = append(ec.ids, c.BufID)
			d.send(int(c.Token))
			if !c.More {
				d.rearms++
				d.arm(int(c.Token))
			}
		case completion.OpSend:
			fd := int(c.Token)
			ec := d.conns[fd]
			ec.sending = false
			if c.Res < 0 {
				d.t.Fatalf("send: %v", c.Err())
			}
			ec.queue[0] = ec.queue[0][c.Res:]
			if len(ec.queue[0]) == 0 {
				d.p.ReleaseBuffer(ec.ids[0])
				ec.queue, ec.ids = ec.queue[1:], ec.ids[1:]
			}
			d.send(fd)
			d.maybeClose(fd)
		}
	}
	// Buffers came back: starved receives may go on.
	for _, fd := range d.starved {
		d.arm(fd)
	}
	d.starved = d.starved[:0]
}

func (d *echoDriver) arm(fd int) {
	if err := d.p.Recv(fd, uint64(fd), 0); err != nil {
		d.t.Fatal(err)
	}
	d.inflight++
}

func (d *echoDriver) send(fd int) {
	ec := d.conns[fd]
	if ec.sending || len(ec.queue) == 0 {
		return
	}
	if err := d.p.Send(fd, ec.queue[:1], uint64(fd)); err != nil {
		d.t.Fatal(err)
	}
	ec.sending = true
	d.inflight++
}

func (d *echoDriver) maybeClose(fd int) {
	if ec := d.conns[fd]; ec.eof && !ec.sending && len(ec.queue) == 0 {
		unix.Close(fd)
		delete(d.conns, fd)
		d.ended++
	}
}

// TestURingOpsEcho echoes random bytes on many connections through the
// Completer, once with too few provided buffers for the connections that
// have data at the same time (receives end with ENOBUFS and are armed again)
// and once with a completion queue far smaller than the completions of a
// turn (the kernel holds the overflow, and multishot receives it ends are
// armed again): every byte comes back, in order, and nothing stalls.
func TestURingOpsEcho(t *testing.T) {
	runtime.LockOSThread()
	for _, tc := range []struct {
		name           string
		buffers, bsize int
		sq, cq         uint32
		wantENOBUFS    bool
	}{
		{"few-buffers", 4, 256, 64, 256, true},
		{"tiny-cq", 64, 1024, 4, 8, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runtime.LockOSThread() // for good: the ring belongs to this thread
			p := newTestOps(t, Options{}, tc.sq, tc.cq)
			p.SizeBuffers(tc.buffers, tc.bsize)
			lfd, addr := listenTCP(t)
			defer unix.Close(lfd)
			d := &echoDriver{t: t, p: p, lfd: lfd, conns: map[int]*echoConn{}}
			if err := p.Accept(lfd, 1<<40); err != nil {
				t.Fatal(err)
			}
			d.inflight++
			const clients, size = 32, 64 << 10
			errc := make(chan error, clients)
			for range clients {
				go func() { errc <- echoClient(addr, size) }()
			}
			ready := make([]Ready, 16)
			deadline := time.Now().Add(30 * time.Second)
			for d.ended < clients {
				if time.Now().After(deadline) {
					t.Fatalf("stalled: %d of %d connections done, %d open", d.ended, clients, len(d.conns))
				}
				d.turn(ready)
			}
			for range clients {
				if err := <-errc; err != nil {
					t.Error(err)
				}
			}
			if tc.wantENOBUFS && d.enobufs == 0 {
				t.Error("no receive ran out of buffers; the test did not exercise exhaustion")
			}
			if !tc.wantENOBUFS && d.rearms == 0 {
				t.Error("no multishot receive ended early; the test did not exercise CQ overflow")
			}
			// The accept is the one operation left; cancel it and reap.
			if err := p.Cancel(completion.OpAccept, 1<<40); err != nil {
				t.Fatal(err)
			}
			for i := 0; d.inflight > 0; i++ {
				if i > 100 {
					t.Fatalf("%d operations never completed after cancellation", d.inflight)
				}
				d.turn(ready)
			}
		})
	}
}

// echoClient sends size random bytes while reading the echo, and checks it.
func echoClient(addr string, size int) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	data := make([]byte, size)
	rand.Read(data)
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(data)
		if err == nil {
			err = c.(*net.TCPConn).CloseWrite()
		}
		werr <- err
	}()
	got, err := io.ReadAll(c)
	if err := <-werr; err != nil {
		return err
	}
	if err != nil {
		return err
	}
	if !bytes.Equal(got, data) {
		return fmt.Errorf("echo of %d bytes came back as %d different bytes", len(data), len(got))
	}
	return nil
}

// TestURingOpsCancelFd cancels, on one socket, a multishot receive waiting
// for data and a send blocked on a peer that does not read: both end with a
// last completion (the send with what it sent, or -ECANCELED) and nothing
// stays in flight.
func TestURingOpsCancelFd(t *testing.T) {
	runtime.LockOSThread()
	p := newTestOps(t, Options{}, 64, 256)
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(pair[1])
	if err := p.Recv(pair[0], 7, 0); err != nil {
		t.Fatal(err)
	}
	big := make([]byte, 8<<20) // more than the socket buffers hold
	ready := make([]Ready, 4)
	// A stream send takes what fits and completes; the next one waits.
	for sent, waiting := 0, false; !waiting; {
		if err := p.Send(pair[0], [][]byte{big[sent:]}, 8); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Wait(ready, 50*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		switch got := p.Completions(); {
		case len(got) == 0:
			waiting = true
		case len(got) == 1 && got[0].Op == completion.OpSend && got[0].Res > 0:
			sent += int(got[0].Res)
		default:
			t.Fatalf("completions before cancellation: %+v", got)
		}
	}
	if err := p.CancelFd(pair[0]); err != nil {
		t.Fatal(err)
	}
	last := map[uint64]completion.Completion{}
	for i := 0; len(last) < 2; i++ {
		if i > 100 {
			t.Fatalf("only %d of 2 operations ended after CancelFd: %+v", len(last), last)
		}
		if _, err := p.Wait(ready, 50*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Completions() {
			if !c.More {
				last[c.Token] = c
			}
		}
	}
	if c := last[7]; c.Op != completion.OpRecv || !errors.Is(c.Err(), unix.ECANCELED) {
		t.Errorf("receive ended with %+v, want -ECANCELED", c)
	}
	if c := last[8]; c.Op != completion.OpSend || (c.Res < 0 && !errors.Is(c.Err(), unix.ECANCELED)) || c.Res >= int32(len(big)) {
		t.Errorf("send ended with %+v, want a partial count or -ECANCELED", c)
	}
	unix.Close(pair[0])
	if n := len(p.free); n != len(p.sends) {
		t.Errorf("%d of %d send slots free after the send ended", n, len(p.sends))
	}
}

// TestURingOpsCancelListedRecv cancels receives in the turn that armed them,
// before a Wait handed them to the kernel: Cancel and CancelFd must reach it
// after the receive, which then ends with -ECANCELED instead of staying armed.
func TestURingOpsCancelListedRecv(t *testing.T) {
	runtime.LockOSThread()
	p := newTestOps(t, Options{}, 64, 256)
	var fds []int
	for range 2 {
		pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer unix.Close(pair[0])
		defer unix.Close(pair[1])
		fds = append(fds, pair[0])
	}
	for i, fd := range fds {
		if err := p.Recv(fd, uint64(i), 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Cancel(completion.OpRecv, 0); err != nil {
		t.Fatal(err)
	}
	if err := p.CancelFd(fds[1]); err != nil {
		t.Fatal(err)
	}
	ready := make([]Ready, 4)
	last := map[uint64]completion.Completion{}
	for i := 0; len(last) < 2; i++ {
		if i > 20 {
			t.Fatalf("only %d of 2 receives ended after their cancellation: %+v", len(last), last)
		}
		if _, err := p.Wait(ready, 50*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Completions() {
			if !c.More {
				last[c.Token] = c
			}
		}
	}
	for token, c := range last {
		if c.Op != completion.OpRecv || !errors.Is(c.Err(), unix.ECANCELED) {
			t.Errorf("receive %d ended with %+v, want -ECANCELED", token, c)
		}
	}
}

// TestURingOpsRecvLimit arms a limited receive on a socket holding far more
// than the limit: it ends (More clear) once it has brought the limit, passed
// by less than a buffer, where the kernel counts bytes, and after its first
// completion elsewhere, and the rest stays in the socket.
func TestURingOpsRecvLimit(t *testing.T) {
	kernel := boundedRecv()
	defer func() { bounded = kernel }()
	t.Run("kernel", func(t *testing.T) { testRecvLimit(t) })
	if kernel {
		// What kernels before 6.16 get: one completion.
		bounded = false
		t.Run("one completion", func(t *testing.T) { testRecvLimit(t) })
	}
}

func testRecvLimit(t *testing.T) {
	runtime.LockOSThread()
	const bufSize, limit = 1024, 4096
	p := newTestOps(t, Options{}, 64, 256)
	p.SizeBuffers(0, bufSize)
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(pair[0])
	defer unix.Close(pair[1])
	held := make([]byte, 64<<10)
	if _, err := unix.Write(pair[1], held); err != nil {
		t.Fatal(err)
	}
	if err := p.Recv(pair[0], 3, limit); err != nil {
		t.Fatal(err)
	}
	ready := make([]Ready, 4)
	got, completions, ended := 0, 0, false
	for i := 0; !ended; i++ {
		if i > 100 {
			t.Fatalf("the limited receive did not end; %d bytes in %d completions", got, completions)
		}
		if _, err := p.Wait(ready, 50*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Completions() {
			if c.Res < 0 {
				t.Fatalf("receive failed: %v", c.Err())
			}
			got += int(c.Res)
			completions++
			if c.Buf != nil {
				p.ReleaseBuffer(c.BufID)
			}
			ended = ended || !c.More
		}
	}
	want := limit + bufSize - 1
	if !p.BoundsRecv() {
		want = bufSize // one completion
	}
	if got == 0 || got > want {
		t.Fatalf("the limited receive brought %d bytes in %d completions; want 1 to %d (bounded: %v)", got, completions, want, p.BoundsRecv())
	}
	if left, err := unix.Read(pair[0], held); err != nil || left == 0 {
		t.Fatalf("after the receive ended the socket gave %d, %v; want the rest left there", left, err)
	}
}
