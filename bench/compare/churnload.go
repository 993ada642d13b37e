//go:build linux

package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"runtime"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/bench"
	"github.com/sockloop/sockloop/internal/rawsys"
)

// Connection churn: each connection is a connect, one request of churnMsg
// bytes, its echo read back and checked, and a close by the client. The
// client closes first, with a FIN, so the TIME_WAIT of the client's leg
// lands on the client's side; its sources rotate over 127.0.0.1 to
// 127.0.0.churnSources so that those TIME_WAITs spread over as many port
// ranges and never stall the client's connects. The proxy passes the FIN
// on and so keeps the TIME_WAIT of its upstream leg, as a proxy does in
// production; every proxy under test pays that alike.

const (
	churnMsg     = 64  // request bytes, echoed back
	churnPeriod  = 251 // period of the pattern the requests are cut from
	churnSources = 32  // client source addresses, from 127.0.0.1 up
	churnEvents  = 256 // events taken per epoll_wait
	churnStall   = 10 * time.Second
)

var errChurnMismatch = errors.New("churn: echoed bytes differ from those sent")

// churnClient keeps a fixed number of short connections in flight to one
// address, from one goroutine locked to its thread. Its system calls on
// sockets are raw (none of them waits), and it looks for events without
// blocking before it blocks, as bench's clients do, so that its own cost
// stays small next to the proxy's.
type churnClient struct {
	ep     int
	family int
	dst    unix.Sockaddr
	srcs   []unix.Sockaddr // rotated over; none for IPv6 (one loopback address)
	slots  []churnSlot
	byFd   []int32 // fd -> slot, -1 for none
	events []unix.EpollEvent
	pat    []byte
	rbuf   []byte
	seq    int
	lat    bench.Latency
}

type churnSlot struct {
	fd    int // -1 when idle
	salt  int // where in the pattern this connection's request starts
	got   int // bytes echoed back so far
	sent  bool
	began time.Time
}

// newChurnClient prepares a client of inflight connections to addr.
func newChurnClient(addr netip.AddrPort, inflight int) (*churnClient, error) {
	if inflight < 1 {
		return nil, fmt.Errorf("churn: need at least one connection in flight (got %d)", inflight)
	}
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("epoll_create1", err)
	}
	c := &churnClient{ep: ep, slots: make([]churnSlot, inflight), events: make([]unix.EpollEvent, churnEvents),
		pat: make([]byte, churnPeriod+churnMsg), rbuf: make([]byte, churnMsg)}
	for i := range c.pat {
		j := i % churnPeriod
		c.pat[i] = byte(j*j*5 + j*7 + 3)
	}
	for i := range c.slots {
		c.slots[i].fd = -1
	}
	ip := addr.Addr().Unmap()
	if ip.Is4() {
		c.family, c.dst = unix.AF_INET, &unix.SockaddrInet4{Port: int(addr.Port()), Addr: ip.As4()}
		if ip.IsLoopback() {
			for i := range churnSources {
				c.srcs = append(c.srcs, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, byte(1 + i)}})
			}
		}
	} else {
		c.family, c.dst = unix.AF_INET6, &unix.SockaddrInet6{Port: int(addr.Port()), Addr: ip.As16()}
	}
	return c, nil
}

// Run keeps every slot busy with new connections until dur has passed,
// then lets those in flight finish, and returns how many connections
// finished and the time from the start to the last of them. Each
// connection's time from socket(2) to its last echoed byte goes into the
// latency histogram. After an error the client is only good for Close.
func (c *churnClient) Run(dur time.Duration) (conns int, took time.Duration, err error) {
	begin := time.Now()
	deadline := begin.Add(dur)
	for i := range c.slots {
		if err := c.start(i); err != nil {
			return 0, 0, err
		}
	}
	open, idle := len(c.slots), time.Duration(0)
	for open > 0 {
		k, err := c.wait()
		if err != nil {
			return 0, 0, err
		}
		if k == 0 {
			if idle += time.Second; idle >= churnStall {
				return 0, 0, fmt.Errorf("churn: no progress for %v with %d connections in flight", churnStall, open)
			}
			continue
		}
		idle = 0
		for _, ev := range c.events[:k] {
			i := c.byFd[ev.Fd]
			if i < 0 {
				continue
			}
			finished, err := c.event(int(i), ev.Events)
			if err != nil {
				return 0, 0, err
			}
			if !finished {
				continue
			}
			conns++
			now := time.Now()
			c.lat.Record(now.Sub(c.slots[i].began), 1)
			if err := c.closeSlot(int(i)); err != nil {
				return 0, 0, err
			}
			if now.Before(deadline) {
				if err := c.start(int(i)); err != nil {
					return 0, 0, err
				}
			} else {
				open--
			}
		}
	}
	return conns, time.Since(begin), nil
}

// wait takes the ready events, without blocking first (a raw call), then
// blocking for up to a second.
func (c *churnClient) wait() (int, error) {
	for {
		n, _, errno := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(c.ep), uintptr(unsafe.Pointer(&c.events[0])),
			uintptr(len(c.events)), 0, 0, 0)
		if errno == 0 && n > 0 {
			return int(n), nil
		}
		if errno != 0 && errno != unix.EINTR {
			return 0, os.NewSyscallError("epoll_pwait", errno)
		}
		k, err := unix.EpollWait(c.ep, c.events, 1000)
		switch err {
		case nil:
			return k, nil
		case unix.EINTR:
		default:
			return 0, os.NewSyscallError("epoll_wait", err)
		}
	}
}

// start opens slot i's next connection and, where the handshake finished
// within connect(2), as it does on loopback, sends its request at once.
func (c *churnClient) start(i int) error {
	fd, err := unix.Socket(c.family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return os.NewSyscallError("socket", err)
	}
	for fd >= len(c.byFd) {
		c.byFd = append(c.byFd, -1)
	}
	c.byFd[fd] = int32(i)
	s := &c.slots[i]
	*s = churnSlot{fd: fd, salt: c.seq % churnPeriod, began: time.Now()}
	c.seq++
	if len(c.srcs) > 0 {
		// The port is picked at connect(2), for the source and destination
		// together, not at bind(2) for the source alone.
		if err := unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_BIND_ADDRESS_NO_PORT, 1); err != nil {
			return os.NewSyscallError("setsockopt", err)
		}
		if err := unix.Bind(fd, c.srcs[c.seq%len(c.srcs)]); err != nil {
			return os.NewSyscallError("bind", err)
		}
	}
	switch err := unix.Connect(fd, c.dst); err {
	case nil, unix.EINPROGRESS:
	default:
		return os.NewSyscallError("connect", err)
	}
	sent, err := c.send(i)
	if err != nil {
		return err
	}
	ev := uint32(unix.EPOLLIN)
	if !sent {
		ev = unix.EPOLLOUT
	}
	return os.NewSyscallError("epoll_ctl", unix.EpollCtl(c.ep, unix.EPOLL_CTL_ADD, fd, &unix.EpollEvent{Events: ev, Fd: int32(fd)}))
}

// send writes slot i's request if the connection is established: false
// while it is still connecting. A request this small fits any empty socket
// buffer, so it goes out whole or not at all.
func (c *churnClient) send(i int) (bool, error) {
	s := &c.slots[i]
	n, err := rawsys.Write(s.fd, c.pat[s.salt:s.salt+churnMsg])
	switch {
	case err == unix.EAGAIN:
		return false, nil
	case err != nil:
		return false, os.NewSyscallError("write", err)
	case n != churnMsg:
		return false, fmt.Errorf("churn: short write of %d bytes on a new connection", n)
	}
	s.sent = true
	return true, nil
}

// event handles readiness of slot i's connection and says whether the
// whole echo is back.
func (c *churnClient) event(i int, ev uint32) (bool, error) {
	s := &c.slots[i]
	if !s.sent {
		if soerr, err := unix.GetsockoptInt(s.fd, unix.SOL_SOCKET, unix.SO_ERROR); err != nil || soerr != 0 {
			return false, os.NewSyscallError("connect", cmp.Or(err, error(unix.Errno(soerr))))
		}
		if _, err := c.send(i); err != nil || !s.sent {
			return false, err
		}
		return false, os.NewSyscallError("epoll_ctl", unix.EpollCtl(c.ep, unix.EPOLL_CTL_MOD, s.fd, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(s.fd)}))
	}
	n, err := rawsys.Read(s.fd, c.rbuf[:churnMsg-s.got])
	switch {
	case err == unix.EAGAIN || err == unix.EINTR:
		return false, nil
	case err != nil:
		return false, os.NewSyscallError("read", err)
	case n == 0:
		return false, fmt.Errorf("churn: connection closed after %d of %d bytes echoed", s.got, churnMsg)
	}
	off := s.salt + s.got
	if !bytes.Equal(c.rbuf[:n], c.pat[off:off+n]) {
		return false, fmt.Errorf("%w (bytes %d..%d of a request)", errChurnMismatch, s.got, s.got+n)
	}
	s.got += n
	return s.got == churnMsg, nil
}

// closeSlot closes slot i's connection, which also takes it out of the
// epoll set.
func (c *churnClient) closeSlot(i int) error {
	s := &c.slots[i]
	if s.fd < 0 {
		return nil
	}
	c.byFd[s.fd] = -1
	err := unix.Close(s.fd)
	s.fd = -1
	return os.NewSyscallError("close", err)
}

// Close closes every connection in flight and the epoll descriptor.
func (c *churnClient) Close() error {
	var err error
	for i := range c.slots {
		err = cmp.Or(err, c.closeSlot(i))
	}
	return cmp.Or(err, os.NewSyscallError("close", unix.Close(c.ep)))
}

// churnLoad runs churn clients against addr for about dur, inflight
// connections each, one client per CPU of cpus on a thread pinned to it
// (one unpinned without cpus), and returns the connections finished, the
// time the slowest client took and the median and 99th percentile
// connection time. mark is called just before the clients start and just
// after the last one ends, failures included.
func churnLoad(addr string, inflight int, cpus []int, dur time.Duration, mark func()) (conns int, took, p50, p99 time.Duration, err error) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		mark()
		mark()
		return 0, 0, 0, 0, err
	}
	threads := max(len(cpus), 1)
	ready := make(chan error, threads)
	start := make(chan struct{})
	done := make(chan threadResult, threads)
	for t := range threads {
		cpu := -1
		if len(cpus) > 0 {
			cpu = cpus[t]
		}
		go func() {
			// Locked and never unlocked: a thread pinned to one CPU ends
			// with the goroutine instead of going back to the pool.
			runtime.LockOSThread()
			var r threadResult
			c, err := func() (*churnClient, error) {
				if cpu >= 0 {
					var one unix.CPUSet
					one.Set(cpu)
					if err := unix.SchedSetaffinity(0, &one); err != nil {
						return nil, os.NewSyscallError("sched_setaffinity", err)
					}
				}
				return newChurnClient(ap, inflight)
			}()
			ready <- err
			<-start
			if err != nil {
				done <- threadResult{err: err}
				return
			}
			r.ops, r.took, r.err = c.Run(dur)
			r.lat = &c.lat
			r.err = cmp.Or(r.err, c.Close())
			done <- r
		}()
	}
	return startThreads(threads, ready, start, done, mark)
}
