//go:build linux

package bench

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"sync"
	"testing"

	"github.com/sockloop/sockloop/conn"
)

// sockMsg is the message size of the socket benchmarks: an 8-byte sequence
// number, then the pattern from that number's phase.
const sockMsg = 64

// sockBatch is how many messages the sender writes at once, so that the
// receiver, one message per call, is what the benchmark times.
const sockBatch = 64

// receiver receives one whole message into its buffers and checks it.
type receiver interface {
	recv(seq uint64) error
	close() error
}

type receiverKind struct {
	name string
	// open returns a receiver for a connected loopback TCP socket whose
	// peer, a net.Conn, is returned too.
	open func() (receiver, net.Conn, error)
}

var receiverKinds = []receiverKind{
	{"socket-RecvInto", func() (receiver, net.Conn, error) { return openSocket(false) }},
	{"socket-RecvMsgInto", func() (receiver, net.Conn, error) { return openSocket(true) }},
	{"net-Read", openNetConn},
}

// BenchmarkSocketRecv receives 64-byte messages over a connected TCP socket
// on loopback with the socket object (conn.Socket RecvInto, and RecvMsgInto
// scattering into 16 + 16 + 32 bytes) and with net.Conn.Read. One op is one
// message received and checked; a net.Conn in another goroutine sends them
// 64 at a time.
//
//	go test -run XXX -bench SocketRecv -benchmem ./bench/
func BenchmarkSocketRecv(b *testing.B) {
	for _, rk := range receiverKinds {
		b.Run("api="+rk.name, func(b *testing.B) {
			r, peer, err := rk.open()
			if err != nil {
				b.Fatal(err)
			}
			stop := sendMessages(peer, uint64(b.N))
			defer func() {
				peer.Close()
				if err := r.close(); err != nil {
					b.Error(err)
				}
				stop()
			}()
			b.SetBytes(sockMsg)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if err := r.recv(uint64(i)); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

// TestSocketRecvAllocatesNothing checks that receiving a message with the
// socket object allocates nothing, as its documentation says.
func TestSocketRecvAllocatesNothing(t *testing.T) {
	for _, rk := range receiverKinds {
		t.Run("api="+rk.name, func(t *testing.T) {
			const runs = 100
			r, peer, err := rk.open()
			if err != nil {
				t.Fatal(err)
			}
			stop := sendMessages(peer, runs+1)
			defer func() {
				peer.Close()
				if err := r.close(); err != nil {
					t.Error(err)
				}
				stop()
			}()
			seq := uint64(0)
			var recvErr error
			allocs := testing.AllocsPerRun(runs, func() {
				if err := r.recv(seq); err != nil && recvErr == nil {
					recvErr = err
				}
				seq++
			})
			if recvErr != nil {
				t.Fatal(recvErr)
			}
			if allocs != 0 {
				t.Errorf("%v allocations per message, want 0", allocs)
			}
		})
	}
}

// sendMessages writes messages 0..n-1 to c from another goroutine; stop
// waits for it (close c first if the receiver gave up).
func sendMessages(c net.Conn, n uint64) (stop func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		buf := make([]byte, sockBatch*sockMsg)
		for seq := uint64(0); seq < n; {
			k := min(n-seq, sockBatch)
			for j := range k {
				putMessage(buf[j*sockMsg:][:sockMsg], seq+j)
			}
			if _, err := c.Write(buf[:k*sockMsg]); err != nil {
				return
			}
			seq += k
		}
	}()
	return wg.Wait
}

func putMessage(b []byte, seq uint64) {
	binary.LittleEndian.PutUint64(b, seq)
	copy(b[8:], sockPattern[seq%patternPeriod:])
}

// sockPattern is the pattern messages carry after their sequence number.
var sockPattern = func() []byte {
	p := make([]byte, patternPeriod+sockMsg)
	for i := range p {
		j := i % patternPeriod
		p[i] = byte(j*j*7 + j*3 + 11)
	}
	return p
}()

// checkMessage checks message seq, which parts holds in order.
func checkMessage(seq uint64, parts ...[]byte) error {
	var head [8]byte
	got, off := 0, 0
	want := sockPattern[seq%patternPeriod:]
	for _, p := range parts {
		for len(p) > 0 && got < 8 {
			head[got] = p[0]
			p, got = p[1:], got+1
		}
		if !bytes.Equal(p, want[off:off+len(p)]) {
			return fmt.Errorf("%w (message %d)", errMismatch, seq)
		}
		off += len(p)
	}
	if s := binary.LittleEndian.Uint64(head[:]); s != seq {
		return fmt.Errorf("%w: message %d where %d was due", errMismatch, s, seq)
	}
	return nil
}

// socketReceiver receives with the socket object, into one buffer or
// scattered into three.
type socketReceiver struct {
	s       *conn.Socket
	scatter bool
	buf     []byte
	parts   [3][]byte // views of buf: 16, 16 and 32 bytes
	left    [3][]byte // what is left of parts after a short read
}

func openSocket(scatter bool) (receiver, net.Conn, error) {
	ln, err := conn.CreateServer(context.Background(), "127.0.0.1:0", false)
	if err != nil {
		return nil, nil, err
	}
	defer ln.Close()
	peer, err := net.Dial("tcp", ln.LocalAddr().String())
	if err != nil {
		return nil, nil, err
	}
	s, _, err := ln.Accept()
	if err != nil {
		peer.Close()
		return nil, nil, err
	}
	r := &socketReceiver{s: s, scatter: scatter, buf: make([]byte, sockMsg)}
	r.parts = [3][]byte{r.buf[:16:16], r.buf[16:32:32], r.buf[32:]}
	return r, peer, nil
}

func (r *socketReceiver) recv(seq uint64) error {
	for got := 0; got < sockMsg; {
		var n int
		var err error
		if r.scatter {
			n, _, _, _, err = r.s.RecvMsgInto(r.rest(got), nil)
		} else {
			n, err = r.s.RecvInto(r.buf[got:])
		}
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("bench: peer closed after %d bytes of message %d", got, seq)
		}
		got += n
	}
	if r.scatter {
		return checkMessage(seq, r.parts[:]...)
	}
	return checkMessage(seq, r.buf)
}

// rest returns the parts less their first got bytes.
func (r *socketReceiver) rest(got int) [][]byte {
	k := 0
	for _, p := range r.parts {
		if got >= len(p) {
			got -= len(p)
			continue
		}
		r.left[k] = p[got:]
		got, k = 0, k+1
	}
	return r.left[:k]
}

func (r *socketReceiver) close() error { return r.s.Close() }

// netReceiver receives with net.Conn.Read.
type netReceiver struct {
	c   net.Conn
	buf []byte
}

func openNetConn() (receiver, net.Conn, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	defer ln.Close()
	peer, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return nil, nil, err
	}
	c, err := ln.Accept()
	if err != nil {
		peer.Close()
		return nil, nil, err
	}
	return &netReceiver{c: c, buf: make([]byte, sockMsg)}, peer, nil
}

func (r *netReceiver) recv(seq uint64) error {
	for got := 0; got < sockMsg; {
		n, err := r.c.Read(r.buf[got:])
		if err != nil {
			return err
		}
		got += n
	}
	return checkMessage(seq, r.buf)
}

func (r *netReceiver) close() error { return r.c.Close() }
