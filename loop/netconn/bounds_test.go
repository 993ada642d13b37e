package netconn_test

import (
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/sockloop/sockloop/loop/netconn"
)

// loopReadBuffer is the engine's read buffer (loop's default): one read
// beyond the input limit is what a connection may hold.
const loopReadBuffer = 64 << 10

// pattern is the byte at offset off of the streams the bound tests send.
func pattern(off int) byte { return byte(off % 251) }

func fill(b []byte, off int) {
	for i := range b {
		b[i] = pattern(off + i)
	}
}

// TestInputBounded: a peer that sends while nobody reads fills the
// Conn's buffer up to its limit, then the loop stops reading and the
// kernel pushes back on the peer; every byte sent is read afterwards.
func TestInputBounded(t *testing.T) {
	s := startServer(t, nil)
	c, client := s.pair(t)
	sent := 0
	buf := make([]byte, 64<<10)
	for {
		// The deadline only tells when the peer can send no more: once the
		// kernel's buffers, which the loop no longer drains, are full.
		client.SetWriteDeadline(time.Now().Add(300 * time.Millisecond))
		fill(buf, sent)
		n, err := client.Write(buf)
		sent += n
		if errors.Is(err, os.ErrDeadlineExceeded) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	in, _, paused := netconn.Held(c)
	if !paused || in < netconn.InputHigh || in > netconn.InputHigh+loopReadBuffer {
		t.Fatalf("after %d bytes sent: %d held, paused %v; want between %d and %d, paused",
			sent, in, paused, netconn.InputHigh, netconn.InputHigh+loopReadBuffer)
	}
	client.(interface{ CloseWrite() error }).CloseWrite()
	got := 0
	rbuf := make([]byte, 5000)
	for {
		n, err := c.Read(rbuf)
		for i, b := range rbuf[:n] {
			if b != pattern(got+i) {
				t.Fatalf("byte %d: %d, want %d", got+i, b, pattern(got+i))
			}
		}
		got += n
		if in, _, _ := netconn.Held(c); in > netconn.InputHigh+loopReadBuffer {
			t.Fatalf("holds %d bytes while read", in)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if got != sent {
		t.Fatalf("read %d bytes; %d were sent", got, sent)
	}
}

// TestOutputBounded: writing to a peer that does not read blocks once the
// kernel is full and the loop holds about OutputHigh bytes; a write
// deadline ends the Write, with n counting what the loop took, and the
// peer reads exactly those bytes.
func TestOutputBounded(t *testing.T) {
	s := startServer(t, nil)
	c, client := s.pair(t)
	written := 0
	buf := make([]byte, 100<<10)
	for {
		// The deadline only tells when the Write has blocked: once the
		// kernel's buffers, which the peer does not drain, are full.
		c.SetWriteDeadline(time.Now().Add(300 * time.Millisecond))
		fill(buf, written)
		n, err := c.Write(buf)
		written += n
		_, out, _ := netconn.Held(c)
		if out > netconn.OutputHigh+netconn.WriteChunk {
			t.Fatalf("%d bytes of output held", out)
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			if out < netconn.OutputHigh {
				t.Fatalf("Write timed out with %d bytes held; it should block only at %d", out, netconn.OutputHigh)
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	c.Close()
	got, err := io.ReadAll(client)
	if err != nil || len(got) != written {
		t.Fatalf("peer read %d bytes, %v; Write reported %d", len(got), err, written)
	}
	for i, b := range got {
		if b != pattern(i) {
			t.Fatalf("byte %d: %d, want %d", i, b, pattern(i))
		}
	}
}
