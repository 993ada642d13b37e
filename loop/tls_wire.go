package loop

import (
	"io"
	"net"
	"sync"
	"time"
)

// errWouldBlock is what the wire's Read says once the ciphertext the loop
// handed over is used up: a temporary net.Error, after which crypto/tls
// keeps the partial record it holds and tries again on the next Read.
var errWouldBlock error = wouldBlockError{}

type wouldBlockError struct{}

func (wouldBlockError) Error() string   { return "loop: TLS record incomplete" }
func (wouldBlockError) Timeout() bool   { return true }
func (wouldBlockError) Temporary() bool { return true }

// handshakeBacklog is how much input may wait for the handshake goroutine
// before the connection stops reading (readHandshakeFull): a client may
// send records right behind its Finished, before the server's handshake
// is done.
const handshakeBacklog = 64 << 10

// tlsWire is the net.Conn under a connection's tls.Conn. During the
// handshake it is a blocking pipe between the loop and the handshake
// goroutine: the loop feeds what arrives, Read waits for it, and Write
// hands flights to the loop. Once live, only the loop uses it: Read takes
// from src and then would block, Write queues into the connection's output.
type tlsWire struct {
	c *Conn

	mu    sync.Mutex
	laddr net.Addr // asked for by GetCertificate and the like, off the loop
	cond  sync.Cond
	in    []byte // input for the handshake not read yet (after it: for the loop)
	err   error  // Read's error once in is empty: the connection closed or ended
	full  bool   // in reached handshakeBacklog: the loop stopped reading

	// turns is the engine's handshake tokens; turn, the handshake
	// goroutine's own, whether it holds one.
	turns chan struct{}
	turn  bool

	live bool   // the loop reads and writes; set once the goroutine is done
	src  []byte // live: ciphertext being decrypted
	eof  bool   // live: the socket's input ended
}

func newTLSWire(c *Conn) *tlsWire {
	w := &tlsWire{c: c, turns: c.l.eng.handshakes}
	w.cond.L = &w.mu
	return w
}

// feed hands the handshake goroutine input; it reports whether the input
// waiting for it reached handshakeBacklog, when the loop must stop
// reading until Read resumes it.
func (w *tlsWire) feed(b []byte) (full bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.in = append(w.in, b...)
	w.cond.Signal()
	w.full = len(w.in) >= handshakeBacklog
	return w.full
}

// fail makes the handshake goroutine's reads fail with err once the input
// is used up.
func (w *tlsWire) fail(err error) {
	w.mu.Lock()
	if w.err == nil {
		w.err = err
	}
	w.cond.Signal()
	w.mu.Unlock()
}

// goLive hands the wire to the loop; the handshake goroutine is done.
func (w *tlsWire) goLive() {
	w.mu.Lock()
	w.live, w.full = true, false
	if len(w.in) == 0 {
		w.in = nil // an idle connection keeps no buffer
	}
	w.mu.Unlock()
}

func (w *tlsWire) Read(p []byte) (int, error) {
	if w.live {
		if len(w.in) > 0 {
			n := copy(p, w.in)
			w.in = w.in[n:]
			if len(w.in) == 0 {
				w.in = nil
			}
			return n, nil
		}
		if len(w.src) > 0 {
			n := copy(p, w.src)
			w.src = w.src[n:]
			return n, nil
		}
		if w.eof {
			return 0, io.EOF
		}
		return 0, errWouldBlock
	}
	w.mu.Lock()
	if len(w.in) == 0 && w.err == nil && w.turn {
		w.mu.Unlock()
		w.leaveTurn() // waiting for the peer computes nothing
		w.mu.Lock()
	}
	for len(w.in) == 0 && w.err == nil {
		w.cond.Wait()
	}
	if len(w.in) == 0 {
		err := w.err
		w.mu.Unlock()
		return 0, err
	}
	n := copy(p, w.in)
	w.in = w.in[n:]
	if w.full && len(w.in) < handshakeBacklog/2 {
		w.full = false
		c := w.c
		c.l.Submit(func() { c.resumeHandshakeInput() })
	}
	w.mu.Unlock()
	w.takeTurn()
	return n, nil
}

// takeTurn waits for a handshake token (WithTLSHandshakeConcurrency).
func (w *tlsWire) takeTurn() {
	if !w.turn {
		w.turns <- struct{}{}
		w.turn = true
	}
}

// leaveTurn gives the handshake's token back.
func (w *tlsWire) leaveTurn() {
	if w.turn {
		<-w.turns
		w.turn = false
	}
}

// resumeHandshakeInput reads again once the handshake goroutine took its
// backlog.
func (c *Conn) resumeHandshakeInput() {
	if c.rd&readHandshakeFull != 0 && c.state == stateOpen {
		c.rd &^= readHandshakeFull
		c.l.touch(c)
	}
}

func (w *tlsWire) Write(b []byte) (int, error) {
	c := w.c
	if w.live {
		c.markQueued()
		c.out.Copy(b)
		c.noteHigh()
		c.l.touch(c)
		return len(b), nil
	}
	flight := append([]byte(nil), b...)
	if err := c.l.Submit(func() { c.handshakeOutput(flight) }); err != nil {
		return 0, err
	}
	return len(b), nil
}

// handshakeOutput queues a flight the handshake goroutine wrote.
func (c *Conn) handshakeOutput(b []byte) {
	if c.sec == nil || c.sec.phase != tlsHandshaking || c.state != stateOpen {
		return
	}
	c.markQueued()
	c.out.Copy(b)
	c.l.touch(c)
}

func (w *tlsWire) Close() error { return nil } // the loop closes the socket

// LocalAddr and RemoteAddr serve callbacks of the handshake (a
// GetCertificate that looks at ClientHelloInfo.Conn, on the handshake's
// goroutine): worked out when asked, as few ask, while the descriptor is
// open (the loop fails the wire before it closes it).
func (w *tlsWire) LocalAddr() net.Addr {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.laddr == nil && w.err == nil {
		if sa, err := getsockname(w.c.fd); err == nil {
			w.laddr = netAddr(w.c.network(), sa)
		}
	}
	return w.laddr
}

// RemoteAddr's address was known when the connection opened.
func (w *tlsWire) RemoteAddr() net.Addr { return netAddr(w.c.network(), w.c.remote) }

func (w *tlsWire) SetDeadline(time.Time) error      { return nil } // the loop's timers bound it
func (w *tlsWire) SetReadDeadline(time.Time) error  { return nil }
func (w *tlsWire) SetWriteDeadline(time.Time) error { return nil }
