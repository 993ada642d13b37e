package poller_test

import (
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/internal/leaktest"
	"github.com/sockloop/sockloop/poller"
)

// On Linux every test of the contract runs against epoll and io_uring; the
// io_uring runs skip, saying why, where the kernel refuses io_uring.
func init() { testBackends = []poller.Backend{poller.Epoll, poller.IOURing} }

// TestMain fails the run if the tests leave descriptors (rings, eventfds,
// sockets) or goroutines behind.
func TestMain(m *testing.M) { os.Exit(leaktest.Main(m)) }

// TestHalfClosedWithoutInterestIsQuiet watches a socket whose peer shut its
// writing side, with no interest, as the loop does while a half-closed
// connection has nothing to write: nothing is reported (io_uring always
// polls for POLLRDHUP, which must not make Wait spin), until the peer closes
// and the hang-up is reported, on every Wait when level-triggered.
func TestHalfClosedWithoutInterestIsQuiet(t *testing.T) {
	eachBackend(t, func(t *testing.T, be poller.Backend) {
		for _, edge := range []bool{false, true} {
			p := newPoller(t, poller.Options{Backend: be, EdgeTriggered: edge})
			a, b := socketpair(t)
			if err := p.Add(a, poller.Readable); err != nil {
				t.Fatal(err)
			}
			unix.Shutdown(b, unix.SHUT_WR)
			if ev := waitFor(t, p, a); ev&poller.Readable == 0 {
				t.Fatalf("edge %v: after the peer's shutdown: %v, want Readable", edge, ev)
			}
			if err := p.Modify(a, 0); err != nil {
				t.Fatal(err)
			}
			ready := make([]poller.Ready, 4)
			waits := 0
			for start := time.Now(); time.Since(start) < 30*time.Millisecond; waits++ {
				n, err := p.Wait(ready, 10*time.Millisecond)
				if err != nil {
					t.Fatal(err)
				}
				if n != 0 {
					t.Fatalf("edge %v: without interest: reported %v", edge, ready[:n])
				}
			}
			if waits > 20 {
				t.Fatalf("edge %v: %d Waits returned in 30ms with a 10ms timeout: spinning", edge, waits)
			}
			unix.Close(b)
			if ev := waitFor(t, p, a); ev&poller.Hangup == 0 {
				t.Fatalf("edge %v: after the peer's close: %v, want Hangup", edge, ev)
			}
			if !edge {
				if ev := waitFor(t, p, a); ev&poller.Hangup == 0 {
					t.Fatalf("level: second Wait after the peer's close: %v, want Hangup", ev)
				}
			}
		}
	})
}

// TestReusedFdNumber deletes and closes a ready socket and watches a new,
// idle one that got its number: nothing the old socket did is reported.
func TestReusedFdNumber(t *testing.T) {
	eachBackend(t, func(t *testing.T, be poller.Backend) {
		for _, edge := range []bool{false, true} {
			p := newPoller(t, poller.Options{Backend: be, EdgeTriggered: edge})
			fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK, 0)
			if err != nil {
				t.Fatal(err)
			}
			a, b := fds[0], fds[1]
			if err := p.Add(a, poller.Readable); err != nil {
				t.Fatal(err)
			}
			unix.Write(b, []byte("x"))
			if ev := waitFor(t, p, a); ev&poller.Readable == 0 {
				t.Fatalf("edge %v: %v, want Readable", edge, ev)
			}
			unix.Write(b, []byte("y"))
			if err := p.Delete(a); err != nil {
				t.Fatal(err)
			}
			unix.Close(a)
			unix.Close(b)
			c, d := socketpair(t)
			if c != a && d != a {
				t.Skipf("fd %d not reused (got %d, %d)", a, c, d)
			}
			if err := p.Add(a, poller.Readable); err != nil {
				t.Fatal(err)
			}
			ready := make([]poller.Ready, 4)
			for range 3 {
				n, err := p.Wait(ready, 10*time.Millisecond)
				if err != nil {
					t.Fatal(err)
				}
				if n != 0 {
					t.Fatalf("edge %v: an idle socket reported %v", edge, ready[:n])
				}
			}
			peer := c + d - a
			unix.Write(peer, []byte("z"))
			if ev := waitFor(t, p, a); ev&poller.Readable == 0 {
				t.Fatalf("edge %v: the new socket: %v, want Readable", edge, ev)
			}
		}
	})
}

// TestEdgeModifyReportsAgain relies on what EPOLL_CTL_MOD does with
// EPOLLET: a Modify reports a descriptor that is still ready once more.
func TestEdgeModifyReportsAgain(t *testing.T) {
	eachBackend(t, func(t *testing.T, be poller.Backend) {
		p := newPoller(t, poller.Options{Backend: be, EdgeTriggered: true})
		a, b := socketpair(t)
		if err := p.Add(a, poller.Readable); err != nil {
			t.Fatal(err)
		}
		unix.Write(b, []byte("x"))
		if ev := waitFor(t, p, a); ev&poller.Readable == 0 {
			t.Fatalf("%v, want Readable", ev)
		}
		if err := p.Modify(a, poller.Readable); err != nil {
			t.Fatal(err)
		}
		if ev := waitFor(t, p, a); ev&poller.Readable == 0 {
			t.Fatalf("after Modify: %v, want Readable again", ev)
		}
	})
}

// TestDeleteReleasesClosedSocket deletes and closes a socket whose peer
// keeps writing, so that a wake-up may be pending in the poller as it goes:
// the peer must see the close at once, with no further Wait (which a loop
// that is ending never makes). io_uring's poll holds a reference to the file
// until it is cancelled; a poll that refused to go would keep the socket
// open for good.
func TestDeleteReleasesClosedSocket(t *testing.T) {
	eachBackend(t, func(t *testing.T, be poller.Backend) {
		for _, edge := range []bool{false, true} {
			p := newPoller(t, poller.Options{Backend: be, EdgeTriggered: edge})
			for i := range 20 {
				fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK, 0)
				if err != nil {
					t.Fatal(err)
				}
				a, b := fds[0], fds[1]
				if err := p.Add(a, poller.Readable|poller.Writable); err != nil {
					t.Fatal(err)
				}
				unix.Write(b, []byte("x"))
				if ev := waitFor(t, p, a); ev&poller.Readable == 0 {
					t.Fatalf("edge %v: %v, want Readable", edge, ev)
				}
				if i%2 == 1 {
					// Level-triggered, a poll is in the kernel again.
					p.Wait(make([]poller.Ready, 4), 0)
				}
				unix.Write(b, []byte("y")) // a wake-up the poller has not reaped
				if err := p.Delete(a); err != nil {
					t.Fatal(err)
				}
				unix.Close(a)
				_, err = unix.Write(b, []byte("z"))
				unix.Close(b)
				if err != unix.EPIPE {
					t.Fatalf("edge %v, round %d: writing to the peer of a deleted and closed socket: %v, want EPIPE", edge, i, err)
				}
			}
		}
	})
}

// TestDeleteReleasesListener closes a watched listener, as a loop does at
// Stop, and listens again on its port at once, with no further Wait.
func TestDeleteReleasesListener(t *testing.T) {
	eachBackend(t, func(t *testing.T, be poller.Backend) {
		for _, edge := range []bool{false, true} {
			p := newPoller(t, poller.Options{Backend: be, EdgeTriggered: edge})
			listen := func(port int) (int, int) {
				t.Helper()
				fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
				if err != nil {
					t.Fatal(err)
				}
				unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
				if err := unix.Bind(fd, &unix.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}}); err != nil {
					unix.Close(fd)
					t.Fatalf("edge %v: bind to port %d: %v", edge, port, err)
				}
				if err := unix.Listen(fd, 16); err != nil {
					t.Fatal(err)
				}
				sa, err := unix.Getsockname(fd)
				if err != nil {
					t.Fatal(err)
				}
				return fd, sa.(*unix.SockaddrInet4).Port
			}
			ln, port := listen(0)
			if err := p.Add(ln, poller.Readable); err != nil {
				t.Fatal(err)
			}
			// Arm it: no connection comes, so the poll stays in the kernel.
			if n, err := p.Wait(make([]poller.Ready, 4), 0); err != nil || n != 0 {
				t.Fatalf("Wait = %d, %v", n, err)
			}
			if err := p.Delete(ln); err != nil {
				t.Fatal(err)
			}
			unix.Close(ln)
			again, _ := listen(port)
			unix.Close(again)
		}
	})
}
