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
// handshake it is a blocking pipe (handshakePipe) between the loop and the
// handshake goroutine: the loop feeds what arrives, Read waits for it, and
// Write hands flights to the loop. Once live, only the loop uses it: Read
// takes from src and then would block, Write queues into the connection's
// output. The pipe goes once the handshake is done and its input used up,
// so that an idle connection keeps only this much.
type tlsWire struct {
	c    *Conn
	pipe *handshakePipe // until live and its input is used up
	src  []byte         // live: ciphertext being decrypted
	live bool           // the loop reads and writes; set once the goroutine is done
	eof  bool           // live: the socket's input ended
}

// handshakePipe is what the loop and the handshake goroutine share.
type handshakePipe struct {
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
}

func newTLSWire(c *Conn) *tlsWire {
	p := &handshakePipe{turns: c.l.eng.handshakes}
	p.cond.L = &p.mu
	return &tlsWire{c: c, pipe: p}
}

// feed hands the handshake goroutine input; it reports whether the input
// waiting for it reached handshakeBacklog, when the loop must stop
// reading until Read resumes it.
func (w *tlsWire) feed(b []byte) (full bool) {
	p := w.pipe
	p.mu.Lock()
	defer p.mu.Unlock()
	p.in = append(p.in, b...)
	p.cond.Signal()
	p.full = len(p.in) >= handshakeBacklog
	return p.full
}

// fail makes the handshake goroutine's reads fail with err once the input
// is used up.
func (w *tlsWire) fail(err error) {
	p := w.pipe
	if p == nil {
		return // live: no goroutine reads
	}
	p.mu.Lock()
	if p.err == nil {
		p.err = err
	}
	p.cond.Signal()
	p.mu.Unlock()
}

// goLive hands the wire to the loop; the handshake goroutine is done.
func (w *tlsWire) goLive() {
	w.live = true
	if len(w.pipe.in) == 0 {
		w.pipe = nil // an idle connection keeps no pipe
	}
}

func (w *tlsWire) Read(p []byte) (int, error) {
	if w.live {
		if w.pipe != nil { // records that came behind the handshake
			n := copy(p, w.pipe.in)
			if w.pipe.in = w.pipe.in[n:]; len(w.pipe.in) == 0 {
				w.pipe = nil
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
	return w.pipe.read(w.c, p)
}

// read is the handshake goroutine's: it waits for input, giving up its
// handshake token meanwhile.
func (pp *handshakePipe) read(c *Conn, p []byte) (int, error) {
	pp.mu.Lock()
	if len(pp.in) == 0 && pp.err == nil && pp.turn {
		pp.mu.Unlock()
		pp.leaveTurn() // waiting for the peer computes nothing
		pp.mu.Lock()
	}
	for len(pp.in) == 0 && pp.err == nil {
		pp.cond.Wait()
	}
	if len(pp.in) == 0 {
		err := pp.err
		pp.mu.Unlock()
		return 0, err
	}
	n := copy(p, pp.in)
	pp.in = pp.in[n:]
	if pp.full && len(pp.in) < handshakeBacklog/2 {
		pp.full = false
		c.l.Submit(func() { c.resumeHandshakeInput() })
	}
	pp.mu.Unlock()
	pp.takeTurn()
	return n, nil
}

// takeTurn waits for a handshake token (WithTLSHandshakeConcurrency).
func (pp *handshakePipe) takeTurn() {
	if !pp.turn {
		pp.turns <- struct{}{}
		pp.turn = true
	}
}

// leaveTurn gives the handshake's token back.
func (pp *handshakePipe) leaveTurn() {
	if pp.turn {
		<-pp.turns
		pp.turn = false
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
	if w.live {
		return w.localAddr()
	}
	p := w.pipe
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.laddr == nil && p.err == nil {
		p.laddr = w.localAddr()
	}
	return p.laddr
}

func (w *tlsWire) localAddr() net.Addr {
	if sa, err := getsockname(w.c.fd); err == nil {
		return netAddr(w.c.network(), sa)
	}
	return nil
}

// RemoteAddr's address was known when the connection opened.
func (w *tlsWire) RemoteAddr() net.Addr { return netAddr(w.c.network(), w.c.remote) }

func (w *tlsWire) SetDeadline(time.Time) error      { return nil } // the loop's timers bound it
func (w *tlsWire) SetReadDeadline(time.Time) error  { return nil }
func (w *tlsWire) SetWriteDeadline(time.Time) error { return nil }
