package loop

import (
	"fmt"
	"net"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// BenchmarkUDPEcho compares one system call per datagram (batch=1) with
// recvmmsg / sendmmsg batches, in the same run: go test -bench UDPEcho.
// The client keeps a window of datagrams in flight on several sockets and
// itself sends and receives each window with one sendmmsg / recvmmsg, so
// that it is not the bottleneck.
func BenchmarkUDPEcho(b *testing.B) {
	for _, tc := range []struct {
		batch   int
		offload bool
	}{{batch: 1}, {batch: 16}, {batch: 16, offload: true}} {
		b.Run(fmt.Sprintf("batch=%d/offload=%v", tc.batch, tc.offload), func(b *testing.B) {
			e, err := New(newEchoHandler(), WithLoops(1), WithUDPBatch(tc.batch), WithUDPOffload(tc.offload), WithLogger(quietLogger))
			if err != nil {
				b.Fatal(err)
			}
			addr, err := e.Listen("udp://127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			e.Start(b.Context())
			defer e.Stop(b.Context())
			runUDPClient(b, addr.(*net.UDPAddr))
		})
	}
}

func runUDPClient(b *testing.B, to *net.UDPAddr) {
	const sockets, window = 4, 32
	var fds []int
	for range sockets {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			b.Fatal(err)
		}
		defer unix.Close(fd)
		sa := &unix.SockaddrInet4{Port: to.Port}
		copy(sa.Addr[:], to.IP.To4())
		if err := unix.Connect(fd, sa); err != nil {
			b.Fatal(err)
		}
		tv := unix.NsecToTimeval(int64(200 * time.Millisecond))
		unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
		fds = append(fds, fd)
	}
	const size = 64
	out, in := newMmsgBatch(window), newMmsgBatch(window)
	msg, slab := make([]byte, size), make([]byte, window*size*2)
	for i := range window {
		out.iovs[i].Base = &msg[0]
		out.iovs[i].SetLen(size)
		out.msgs[i].Hdr = unix.Msghdr{Iov: &out.iovs[i], Iovlen: 1}
		in.iovs[i].Base = &slab[i*size*2]
		in.iovs[i].SetLen(size * 2)
		in.msgs[i].Hdr = unix.Msghdr{Iov: &in.iovs[i], Iovlen: 1}
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	received, lost := 0, 0
	for received+lost < b.N {
		for _, fd := range fds {
			unix.Syscall6(unix.SYS_SENDMMSG, uintptr(fd), uintptr(unsafe.Pointer(&out.msgs[0])), window, 0, 0, 0)
		}
		for _, fd := range fds {
			for got := 0; got < window; {
				r, _, errno := unix.Syscall6(unix.SYS_RECVMMSG, uintptr(fd), uintptr(unsafe.Pointer(&in.msgs[0])), uintptr(window-got), unix.MSG_WAITFORONE, 0, 0)
				if errno != 0 {
					lost += window - got // dropped datagrams: the window moves on
					break
				}
				got += int(r)
				received += int(r)
			}
		}
	}
	b.ReportMetric(float64(received)/time.Since(start).Seconds(), "msgs/s")
	b.ReportMetric(float64(lost)/float64(received+lost), "lost/op")
}
