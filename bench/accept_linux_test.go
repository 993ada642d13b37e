//go:build linux

package bench

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/poller"
)

// BenchmarkAccept measures connection set-up: one op is one TCP connection
// dialed, one 64-byte message echoed and checked, and the connection closed
// (by the client, with a reset, so that no TIME_WAIT piles up). The client
// keeps inflight such connections going at once, non-blocking on one
// goroutine, against every echo server.
//
//	go test -run XXX -bench Accept -benchmem ./bench/
func BenchmarkAccept(b *testing.B) {
	for _, inflight := range []int{1, 16} {
		for _, sk := range serverKinds() {
			b.Run(fmt.Sprintf("server=%s/inflight=%d", sk.name, inflight), func(b *testing.B) {
				srv := startServer(b, sk)
				c, err := newDialer(srv.Addr(), inflight)
				if err != nil {
					b.Fatal(err)
				}
				defer c.Close()
				if err := c.Run(4 * inflight); err != nil { // warm up
					b.Fatal(err)
				}
				measure(b, "conns/s", c.Run)
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
			})
		}
	}
}

// TestDialer runs the connection client against every echo server.
func TestDialer(t *testing.T) {
	for _, sk := range serverKinds() {
		t.Run("server="+sk.name, func(t *testing.T) {
			srv := startServer(t, sk)
			c, err := newDialer(srv.Addr(), 4)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for _, n := range []int{1, 23} {
				if err := c.Run(n); err != nil {
					t.Fatalf("Run(%d): %v", n, err)
				}
			}
		})
	}
}

// dialMsg is the size of the message each connection echoes.
const dialMsg = 64

// dialer opens, uses and closes connections, inflight at a time.
type dialer struct {
	sa     unix.Sockaddr
	family int
	poll   poller.Poller
	ready  []poller.Ready
	slots  []dialSlot
	byFd   []int32 // fd -> slot, -1 if none
	pat    []byte
	rbuf   []byte
	seq    int // connections started
	budget int // connections Run may still start
	done   int // connections Run has finished
}

type dialSlot struct {
	fd      int // -1 when idle
	salt    int // phase of the pattern this connection sends
	got     int // bytes echoed so far
	writing bool
}

func newDialer(addr netip.AddrPort, inflight int) (*dialer, error) {
	p, err := poller.New(poller.Options{})
	if err != nil {
		return nil, err
	}
	d := &dialer{poll: p, ready: make([]poller.Ready, 64), slots: make([]dialSlot, inflight),
		pat: make([]byte, patternPeriod+dialMsg), rbuf: make([]byte, dialMsg)}
	for i := range d.pat {
		j := i % patternPeriod
		d.pat[i] = byte(j*j*7 + j*3 + 11)
	}
	for i := range d.slots {
		d.slots[i].fd = -1
	}
	ip := addr.Addr().Unmap()
	if ip.Is4() {
		d.family, d.sa = unix.AF_INET, &unix.SockaddrInet4{Port: int(addr.Port()), Addr: ip.As4()}
	} else {
		d.family, d.sa = unix.AF_INET6, &unix.SockaddrInet6{Port: int(addr.Port()), Addr: ip.As16()}
	}
	return d, nil
}

// Run dials n connections, echoes one message over each and closes it.
func (d *dialer) Run(n int) error {
	d.budget, d.done = n, 0
	for i := range d.slots {
		if err := d.start(i); err != nil {
			return err
		}
	}
	idle := time.Duration(0)
	for d.done < n {
		k, err := d.poll.Wait(d.ready, time.Second)
		if err != nil {
			return err
		}
		if k == 0 {
			if idle += time.Second; idle >= stallTimeout {
				return fmt.Errorf("bench: no progress for %v with %d of %d connections done", stallTimeout, d.done, n)
			}
			continue
		}
		idle = 0
		for _, r := range d.ready[:k] {
			i := int(d.byFd[r.Fd])
			if i < 0 {
				continue // closed earlier in this batch
			}
			if err := d.event(i, r.Events); err != nil {
				return err
			}
		}
	}
	return nil
}

// start opens the slot's next connection if the budget allows.
func (d *dialer) start(i int) error {
	if d.budget == 0 {
		return nil
	}
	d.budget--
	fd, err := unix.Socket(d.family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return os.NewSyscallError("socket", err)
	}
	for fd >= len(d.byFd) {
		d.byFd = append(d.byFd, -1)
	}
	d.byFd[fd] = int32(i)
	s := &d.slots[i]
	*s = dialSlot{fd: fd, salt: d.seq % patternPeriod, writing: true}
	d.seq++
	if err := unix.SetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0}); err != nil {
		return os.NewSyscallError("setsockopt", err)
	}
	switch err := unix.Connect(fd, d.sa); err {
	case nil:
		if err := d.poll.Add(fd, poller.Readable); err != nil {
			return err
		}
		return d.send(i)
	case unix.EINPROGRESS, unix.EINTR:
		return d.poll.Add(fd, poller.Writable)
	default:
		return os.NewSyscallError("connect", err)
	}
}

// event handles readiness of slot i's connection.
func (d *dialer) event(i int, ev poller.Event) error {
	s := &d.slots[i]
	if s.writing {
		if err := connectError(s.fd); err != nil {
			return err
		}
		if err := d.poll.Modify(s.fd, poller.Readable); err != nil {
			return err
		}
		return d.send(i)
	}
	n, err := readNow(s.fd, d.rbuf[:dialMsg-s.got])
	switch {
	case n < 0 || err != nil:
		return err
	case n == 0:
		return fmt.Errorf("bench: server closed a connection after %d of %d bytes", s.got, dialMsg)
	}
	off := s.salt + s.got
	if !bytes.Equal(d.rbuf[:n], d.pat[off:off+n]) {
		return fmt.Errorf("%w (connection %d, bytes %d..%d)", errMismatch, i, s.got, s.got+n)
	}
	if s.got += n; s.got < dialMsg {
		return nil
	}
	d.done++
	if err := d.closeSlot(i); err != nil {
		return err
	}
	return d.start(i)
}

// send writes the connection's message: 64 bytes always fit an empty
// socket buffer, so the write is whole or fails.
func (d *dialer) send(i int) error {
	s := &d.slots[i]
	s.writing = false
	n, err := unix.Write(s.fd, d.pat[s.salt:s.salt+dialMsg])
	if err != nil {
		return os.NewSyscallError("write", err)
	}
	if n != dialMsg {
		return fmt.Errorf("bench: short write of %d bytes on a new connection", n)
	}
	return nil
}

func (d *dialer) closeSlot(i int) error {
	s := &d.slots[i]
	if s.fd < 0 {
		return nil
	}
	d.byFd[s.fd] = -1
	err := d.poll.Delete(s.fd)
	if cerr := unix.Close(s.fd); err == nil && cerr != nil {
		err = os.NewSyscallError("close", cerr)
	}
	s.fd = -1
	return err
}

// Close closes every open connection and the poller.
func (d *dialer) Close() error {
	for i := range d.slots {
		d.closeSlot(i)
	}
	return d.poll.Close()
}
