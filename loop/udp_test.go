package loop

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"
)

// addrEcho replies with the datagram prefixed by the sender as RemoteAddr
// reports it, so the test sees both the routing and the address.
type addrEcho struct{ BaseHandler }

func (addrEcho) OnTraffic(c *Conn) Action {
	b, _ := c.Next(-1)
	c.Writev([][]byte{[]byte(c.RemoteAddr().String() + " "), b})
	return None
}

func TestUDPBatchesRouteEveryReply(t *testing.T) {
	for _, tc := range []struct {
		batch   int
		offload bool
	}{{batch: 1}, {batch: 16}, {batch: 16, offload: true}} {
		t.Run(fmt.Sprintf("batch=%d offload=%v", tc.batch, tc.offload), func(t *testing.T) {
			_, addrs := startEngine(t, addrEcho{}, []string{"udp://127.0.0.1:0"}, WithUDPBatch(tc.batch), WithUDPOffload(tc.offload))
			const clients, inFlight = 8, 64
			var wg sync.WaitGroup
			errs := make(chan error, clients)
			for i := range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs <- blastUDP(addrs[0].(*net.UDPAddr), i, inFlight)
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
}

// blastUDP sends n datagrams without waiting, then expects every reply,
// each naming this client's address. UDP may drop under load, so a reply
// missing after a long quiet period is retried once before it counts.
func blastUDP(to *net.UDPAddr, id, n int) error {
	c, err := dialConn(to)
	if err != nil {
		return err
	}
	defer c.Close()
	prefix := c.LocalAddr().String() + " "
	pending := make(map[string]bool, n)
	for j := range n {
		msg := fmt.Sprintf("client %d message %d", id, j)
		pending[msg] = true
		c.Write([]byte(msg))
	}
	buf := make([]byte, 256)
	for retried := false; len(pending) > 0; {
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		m, err := c.Read(buf)
		if isTimeout(err) {
			if retried {
				return fmt.Errorf("client %d: %d replies never arrived", id, len(pending))
			}
			retried = true
			for msg := range pending {
				c.Write([]byte(msg))
			}
			continue
		}
		if err != nil {
			return err
		}
		got := string(buf[:m])
		if len(got) < len(prefix) || got[:len(prefix)] != prefix {
			return fmt.Errorf("client %d: reply %q does not name this client (%s)", id, got, prefix)
		}
		delete(pending, got[len(prefix):])
	}
	return nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// lateWriter tries to reply from a timer, after OnTraffic returned.
type lateWriter struct {
	BaseHandler
	errs chan error
}

func (h *lateWriter) OnTraffic(c *Conn) Action {
	c.Loop().AfterFunc(0, func() {
		_, err := c.Write([]byte("late"))
		h.errs <- err
	})
	_, err := c.Write(make([]byte, maxDatagram+1))
	h.errs <- err
	return None
}

func TestUDPWriteOutsideOnTrafficAndOversize(t *testing.T) {
	h := &lateWriter{errs: make(chan error, 2)}
	_, addrs := startEngine(t, h, []string{"udp://127.0.0.1:0"})
	c := dial(t, addrs[0])
	c.Write([]byte("x"))
	if err := <-h.errs; !errors.Is(err, errMsgSize) {
		t.Errorf("oversized reply: %v, want EMSGSIZE", err)
	}
	if err := <-h.errs; err == nil {
		t.Error("Write after OnTraffic returned succeeded; there is no datagram to reply to")
	}
}

// sizeEcho answers each datagram with as many bytes as it had, so that a
// burst of equal datagrams to one peer can leave as one segmented send.
type sizeEcho struct{ BaseHandler }

func (sizeEcho) OnTraffic(c *Conn) Action {
	b, _ := c.Next(-1)
	c.Write(b)
	return None
}

func TestUDPOffloadKeepsDatagramBoundaries(t *testing.T) {
	_, addrs := startEngine(t, sizeEcho{}, []string{"udp://127.0.0.1:0"}, WithUDPOffload(true), WithLoops(1))
	c, err := dialConn(addrs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// A burst of equal datagrams (which GRO may coalesce and GSO may send as
	// one) and a shorter last one: each must come back alone and intact.
	sizes := []int{1200, 1200, 1200, 1200, 1200, 1200, 1200, 700}
	for i, n := range sizes {
		c.Write(bytes.Repeat([]byte{byte('a' + i)}, n))
	}
	got := map[string]bool{}
	buf := make([]byte, 64<<10)
	for range sizes {
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := c.Read(buf)
		if err != nil {
			t.Fatalf("after %d replies: %v", len(got), err)
		}
		got[string(buf[:n])] = true
	}
	for i, n := range sizes {
		if !got[string(bytes.Repeat([]byte{byte('a' + i)}, n))] {
			t.Errorf("datagram %d (%d bytes) did not come back intact and alone", i, n)
		}
	}
}
