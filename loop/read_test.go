package loop

import (
	"errors"
	"io"
	"net"
	"testing"
)

// readerHandler drains each input with Read and records what Read returned
// once nothing was left, in OnTraffic and after the peer's end.
type readerHandler struct {
	BaseHandler
	got  chan []byte
	errs chan error
}

func (h *readerHandler) OnTraffic(c *Conn) Action {
	buf := make([]byte, 3) // smaller than the input: several reads
	var got []byte
	for {
		n, err := c.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			h.got <- got
			h.errs <- err
			return None
		}
	}
}

func (h *readerHandler) OnReadEOF(c *Conn) Action {
	_, err := c.Read(make([]byte, 1))
	h.errs <- err
	return Close
}

// TestReadReportsEOFOnlyAfterPeerEnd: Read with nothing buffered says
// ErrNoInput while the peer may send more, and io.EOF only after its end.
func TestReadReportsEOFOnlyAfterPeerEnd(t *testing.T) {
	h := &readerHandler{got: make(chan []byte, 4), errs: make(chan error, 4)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithLoops(1))
	c := dial(t, addrs[0])
	if _, err := c.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if got := <-h.got; string(got) != "hello" {
		t.Fatalf("Read gave %q; want hello", got)
	}
	if err := <-h.errs; !errors.Is(err, ErrNoInput) || errors.Is(err, io.EOF) {
		t.Fatalf("Read with nothing buffered and the peer still open = %v; want ErrNoInput", err)
	}
	c.(interface{ CloseWrite() error }).CloseWrite()
	if err := <-h.errs; err != io.EOF {
		t.Fatalf("Read after the peer's end = %v; want io.EOF", err)
	}
}

// closeThenWrite closes in OnTraffic and reports what a Write then returns.
type closeThenWrite struct {
	BaseHandler
	errs chan error
}

func (h *closeThenWrite) OnTraffic(c *Conn) Action {
	c.Close()
	_, err := c.Write([]byte("late"))
	h.errs <- err
	return None
}

// TestWriteAfterCloseMatchesItsDoc: a write on a closing connection is a
// *net.OpError matching ErrNotConnected, as documented, and net.ErrClosed.
func TestWriteAfterCloseMatchesItsDoc(t *testing.T) {
	h := &closeThenWrite{errs: make(chan error, 1)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithLoops(1))
	c := dial(t, addrs[0])
	if _, err := c.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	err := <-h.errs
	var op *net.OpError
	if !errors.As(err, &op) || !errors.Is(err, ErrNotConnected) || !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Write after Close = %v; want a *net.OpError matching ErrNotConnected and net.ErrClosed", err)
	}
}

// TestAddrErrorUnwrapsResolverError: a dial of a name that does not resolve
// fails with an *AddrError whose cause is the resolver's *net.DNSError.
func TestAddrErrorUnwrapsResolverError(t *testing.T) {
	e, _ := startEngine(t, BaseHandler{}, nil, WithLoops(1))
	_, err := e.Dial("tcp", "no-such-host.invalid:80", nil)
	var ae *AddrError
	var dnsErr *net.DNSError
	if !errors.As(err, &ae) || !errors.As(err, &dnsErr) {
		t.Fatalf("Dial of an unknown host = %v (%T); want an *AddrError wrapping a *net.DNSError", err, err)
	}
}
