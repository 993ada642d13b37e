package loop

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/poller"
)

// dupOnOpen duplicates every connection's descriptor through Fd, keeps the
// duplicate, and closes the connection.
type dupOnOpen struct {
	BaseHandler
	dups chan [2]int // the connection's descriptor and its duplicate
}

func (h *dupOnOpen) OnOpen(c *Conn) ([]byte, Action) {
	fd := c.Fd()
	dup, err := unix.Dup(fd)
	if err != nil {
		dup = -1
	}
	h.dups <- [2]int{fd, dup}
	return nil, Close
}

// TestLentDescriptorLeavesThePoller closes a connection whose descriptor a
// duplicate keeps open, then makes the socket readable: the loop must have
// taken it out of the poller, since close(2) alone does not where another
// descriptor refers to the socket, and the poller would go on reporting it.
func TestLentDescriptorLeavesThePoller(t *testing.T) {
	h := &dupOnOpen{dups: make(chan [2]int, 1)}
	e, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithLoops(1))
	c := dial(t, addrs[0])
	defer c.Close()
	fds := <-h.dups
	if fds[1] < 0 {
		t.Fatal("dup failed")
	}
	defer unix.Close(fds[1])
	for e.CountConnections() > 0 { // the close: no FIN, the duplicate holds the socket
		time.Sleep(time.Millisecond)
	}
	if _, err := c.Write([]byte("still open through the duplicate")); err != nil {
		t.Fatal(err)
	}
	l := e.Loops()[0]
	if !l.closeForgets {
		t.Skip("this poller is told of every close")
	}
	reported := make(chan bool, 1)
	err := l.Submit(func() {
		time.Sleep(50 * time.Millisecond) // let the bytes arrive
		ready := make([]poller.Ready, 16)
		n, _ := l.poll.Wait(ready, 0)
		found := false
		for _, r := range ready[:n] {
			found = found || r.Fd == fds[0] && l.conns.get(fds[0]) == nil
		}
		reported <- found
	})
	if err != nil {
		t.Fatal(err)
	}
	if <-reported {
		t.Fatalf("the poller still reports descriptor %d after its connection closed", fds[0])
	}
}
