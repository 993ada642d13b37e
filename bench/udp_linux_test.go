//go:build linux

package bench

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sync"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/poller"
)

// BenchmarkUDP echoes 64-byte datagrams through sockloop's udp:// listener
// (loopEcho, which answers each datagram to its sender) and through a
// net.ListenUDP read-write loop. One op is one datagram echoed and checked.
// The client keeps window datagrams in flight on each of 4 connected
// sockets; a datagram not back within udpLossTimeout counts as lost and is
// replaced, and lost/op reports how many were.
//
//	go test -run XXX -bench UDP -benchmem ./bench/
func BenchmarkUDP(b *testing.B) {
	for _, window := range []int{1, 16} {
		for _, sk := range udpServerKinds() {
			b.Run(fmt.Sprintf("server=%s/sockets=4/window=%d", sk.name, window), func(b *testing.B) {
				srv := startServer(b, sk)
				c, err := dialUDP(srv.Addr(), 4, window)
				if err != nil {
					b.Fatal(err)
				}
				defer c.Close()
				if err := c.Run(8 * window); err != nil { // warm up
					b.Fatal(err)
				}
				c.lost = 0
				b.SetBytes(udpMsg)
				measure(b, "msgs/s", c.Run)
				b.ReportMetric(float64(c.lost)/float64(b.N), "lost/op")
			})
		}
	}
}

// TestUDPClient runs the datagram client against every UDP echo server.
func TestUDPClient(t *testing.T) {
	for _, sk := range udpServerKinds() {
		t.Run("server="+sk.name, func(t *testing.T) {
			srv := startServer(t, sk)
			c, err := dialUDP(srv.Addr(), 3, 8)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for _, n := range []int{1, 100} {
				if err := c.Run(n); err != nil {
					t.Fatalf("Run(%d): %v", n, err)
				}
			}
		})
	}
}

// TestUDPClientCountsLoss checks that datagrams the server drops are
// counted, replaced, and do not stop the run.
func TestUDPClientCountsLoss(t *testing.T) {
	pc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	defer func() { pc.Close(); <-done }()
	go func() { // echo all but every fifth datagram
		defer close(done)
		buf := make([]byte, 2048)
		for {
			n, from, err := pc.ReadFromUDPAddrPort(buf)
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err == nil && n >= 8 && binary.LittleEndian.Uint64(buf)%5 != 0 {
				pc.WriteToUDPAddrPort(buf[:n], from)
			}
		}
	}()
	c, err := dialUDP(pc.LocalAddr().(*net.UDPAddr).AddrPort(), 3, 8)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.timeout = 10 * time.Millisecond
	if err := c.Run(100); err != nil {
		t.Fatal(err)
	}
	if c.received != 100 || c.lost == 0 {
		t.Errorf("received %d and lost %d, want 100 and some", c.received, c.lost)
	}
}

// udpServerKinds are the datagram echo servers the -backend flag selects.
func udpServerKinds() []serverKind {
	return selectServers([]serverKind{
		{"sockloop", func() (server, error) { return asServer(startLoop(loopEcho{}, poller.Epoll, "udp://127.0.0.1:0")) }},
		{"sockloop-uring", func() (server, error) { return asServer(startLoop(loopEcho{}, poller.IOURing, "udp://127.0.0.1:0")) }},
		{"net", func() (server, error) { return asServer(startNetUDP()) }},
	})
}

// netUDP is the classic datagram echo on package net: one goroutine reading
// into a 64 KiB buffer and writing each datagram back to its sender.
type netUDP struct {
	c    *net.UDPConn
	addr netip.AddrPort
	wg   sync.WaitGroup
}

func startNetUDP() (*netUDP, error) {
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	s := &netUDP{c: c, addr: c.LocalAddr().(*net.UDPAddr).AddrPort()}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

func (s *netUDP) serve() {
	defer s.wg.Done()
	buf := make([]byte, 64<<10)
	for {
		n, from, err := s.c.ReadFromUDPAddrPort(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue // ECONNREFUSED from an earlier reply to a closed socket
		}
		s.c.WriteToUDPAddrPort(buf[:n], from)
	}
}

func (s *netUDP) Addr() netip.AddrPort { return s.addr }

func (s *netUDP) Close() error {
	err := s.c.Close()
	s.wg.Wait()
	return err
}

const (
	// udpMsg is the datagram size: an 8-byte sequence number, then the
	// pattern from that number's phase.
	udpMsg = 64
	// udpLossTimeout is how long a socket waits for its outstanding
	// datagrams before it counts them lost and sends others.
	udpLossTimeout = 200 * time.Millisecond
)

// udpClient keeps window datagrams in flight on each of its connected
// sockets, sending and receiving them in batches (sendmmsg, recvmmsg) from
// one goroutine. Sequence numbers grow across runs; each socket tracks the
// window [lo, hi) it has sent and which of it came back. Run allocates
// nothing.
type udpClient struct {
	window   int
	timeout  time.Duration // udpLossTimeout, shorter in tests
	poll     poller.Poller
	ready    []poller.Ready
	socks    []udpSock
	byFd     []int32
	pat      []byte
	budget   int // datagrams Run may still send
	received int // datagrams Run got back
	lost     int // datagrams given up on, over all runs since reset
}

type udpSock struct {
	fd       int
	lo, hi   uint64
	back     []bool // back[seq%window]: seq came back
	out, in  []byte // window datagrams each; in takes 2x udpMsg per slot
	outMsgs  []unix.Mmsghdr
	inMsgs   []unix.Mmsghdr
	outIovs  []unix.Iovec
	inIovs   []unix.Iovec
	progress time.Time // last datagram back, or the window's send
}

func dialUDP(addr netip.AddrPort, sockets, window int) (*udpClient, error) {
	p, err := poller.New(poller.Options{})
	if err != nil {
		return nil, err
	}
	c := &udpClient{window: window, timeout: udpLossTimeout, poll: p, ready: make([]poller.Ready, sockets), pat: make([]byte, patternPeriod+udpMsg)}
	for i := range c.pat {
		j := i % patternPeriod
		c.pat[i] = byte(j*j*7 + j*3 + 11)
	}
	sa := &unix.SockaddrInet4{Port: int(addr.Port()), Addr: addr.Addr().Unmap().As4()}
	for range sockets {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			c.Close()
			return nil, os.NewSyscallError("socket", err)
		}
		for fd >= len(c.byFd) {
			c.byFd = append(c.byFd, -1)
		}
		c.byFd[fd] = int32(len(c.socks))
		s := udpSock{fd: fd, back: make([]bool, window), out: make([]byte, window*udpMsg), in: make([]byte, window*2*udpMsg),
			outMsgs: make([]unix.Mmsghdr, window), inMsgs: make([]unix.Mmsghdr, window),
			outIovs: make([]unix.Iovec, window), inIovs: make([]unix.Iovec, window)}
		for j := range window {
			s.inIovs[j].Base = &s.in[j*2*udpMsg]
			s.inIovs[j].SetLen(2 * udpMsg)
			s.inMsgs[j].Hdr.Iov = &s.inIovs[j]
			s.inMsgs[j].Hdr.SetIovlen(1)
			s.outMsgs[j].Hdr.Iov = &s.outIovs[j]
			s.outMsgs[j].Hdr.SetIovlen(1)
		}
		c.socks = append(c.socks, s)
		if err := unix.Connect(fd, sa); err != nil {
			c.Close()
			return nil, os.NewSyscallError("connect", err)
		}
		if err := p.Add(fd, poller.Readable); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// Run returns once n datagrams have come back intact, replacing those lost.
func (c *udpClient) Run(n int) error {
	c.budget, c.received = n, 0
	last := time.Now()
	for c.received < n {
		now := time.Now()
		for i := range c.socks {
			s := &c.socks[i]
			if s.hi > s.lo && now.Sub(s.progress) >= c.timeout {
				c.giveUp(s)
			}
			if err := c.send(s, now); err != nil {
				return err
			}
		}
		k, err := c.poll.Wait(c.ready, c.timeout/4)
		if err != nil {
			return err
		}
		for _, r := range c.ready[:k] {
			got, err := c.receive(&c.socks[c.byFd[r.Fd]])
			if err != nil {
				return err
			}
			if got {
				last = time.Now()
			}
		}
		if time.Since(last) >= stallTimeout {
			return fmt.Errorf("bench: no datagram back for %v with %d of %d received", stallTimeout, c.received, n)
		}
	}
	return nil
}

// giveUp counts the socket's outstanding datagrams lost and gives them back
// to the budget; any that still come back are ignored.
func (c *udpClient) giveUp(s *udpSock) {
	for seq := s.lo; seq < s.hi; seq++ {
		if !s.back[seq%uint64(c.window)] {
			c.lost++
			c.budget++
		}
		s.back[seq%uint64(c.window)] = false
	}
	s.lo = s.hi
}

// send fills the socket's window with one sendmmsg.
func (c *udpClient) send(s *udpSock, now time.Time) error {
	w := uint64(c.window)
	k := min(int(w-(s.hi-s.lo)), c.budget)
	if k <= 0 {
		return nil
	}
	for j := range k {
		seq := s.hi + uint64(j)
		d := s.out[int(seq%w)*udpMsg:][:udpMsg]
		binary.LittleEndian.PutUint64(d, seq)
		copy(d[8:], c.pat[seq%patternPeriod:])
		s.outIovs[j].Base = &d[0]
		s.outIovs[j].SetLen(udpMsg)
	}
	r, _, errno := unix.Syscall6(unix.SYS_SENDMMSG, uintptr(s.fd), uintptr(unsafe.Pointer(&s.outMsgs[0])), uintptr(k), 0, 0, 0)
	switch errno {
	case 0:
	case unix.EAGAIN, unix.EINTR, unix.ECONNREFUSED, unix.ENOBUFS:
		return nil // try again on the next turn
	default:
		return os.NewSyscallError("sendmmsg", errno)
	}
	if s.hi == s.lo {
		s.progress = now
	}
	s.hi += uint64(r)
	c.budget -= int(r)
	return nil
}

// receive takes what the socket holds and checks every datagram.
func (c *udpClient) receive(s *udpSock) (got bool, _ error) {
	w := uint64(c.window)
	for {
		r, _, errno := unix.Syscall6(unix.SYS_RECVMMSG, uintptr(s.fd), uintptr(unsafe.Pointer(&s.inMsgs[0])), uintptr(c.window), unix.MSG_DONTWAIT, 0, 0)
		switch errno {
		case 0:
		case unix.EINTR, unix.ECONNREFUSED:
			continue
		case unix.EAGAIN:
			return got, nil
		default:
			return got, os.NewSyscallError("recvmmsg", errno)
		}
		for j := range int(r) {
			d := s.in[j*2*udpMsg:][:s.inMsgs[j].Len]
			if len(d) != udpMsg {
				return got, fmt.Errorf("bench: a %d-byte datagram echoed, want %d", len(d), udpMsg)
			}
			seq := binary.LittleEndian.Uint64(d)
			if seq >= s.hi || !bytes.Equal(d[8:], c.pat[seq%patternPeriod:][:udpMsg-8]) {
				return got, fmt.Errorf("%w (datagram %d, %d sent)", errMismatch, seq, s.hi)
			}
			if seq < s.lo {
				continue // given up on already
			}
			if s.back[seq%w] {
				return got, fmt.Errorf("bench: datagram %d echoed twice", seq)
			}
			s.back[seq%w] = true
			c.received++
			got = true
		}
		if got {
			s.progress = time.Now()
		}
		for s.lo < s.hi && s.back[s.lo%w] {
			s.back[s.lo%w] = false
			s.lo++
		}
	}
}

// Close closes the sockets and the poller.
func (c *udpClient) Close() error {
	for _, s := range c.socks {
		c.poll.Delete(s.fd)
		unix.Close(s.fd)
	}
	c.socks = nil
	return c.poll.Close()
}
