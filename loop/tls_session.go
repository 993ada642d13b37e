package loop

import (
	"crypto/tls"
	"errors"
	"io"

	"github.com/sockloop/sockloop/internal/buffer"
)

// How TLS runs on a loop, with crypto/tls as it is.
//
// crypto/tls drives a net.Conn with blocking reads. A read error that is a
// net.Error whose Temporary() is true leaves a tls.Conn usable, so once the
// handshake has finished the loop runs tls.Conn.Read itself over a wire
// (tlsWire) that hands over the ciphertext the driver read and then says
// "would block": every complete record is decrypted at once, a partial one
// waits in crypto/tls's own buffer for the rest, and the plaintext goes to
// OnTraffic. Writes are encrypted as they are written, into the
// connection's output queue, so backpressure, timeouts, half-close and
// Stop work on the ciphertext as they work on plain bytes.
//
// A handshake error is always sticky, so a handshake cannot be driven that
// way: it runs on a goroutine of its own, over the same wire in blocking
// mode, which the loop feeds with what arrives and whose flights the loop
// sends. The loop never blocks, and handshakes (the costly part of TLS)
// spread over every core whatever loop holds their connection. Once the
// handshake ends the goroutine hands the connection back to the loop and
// exits, so an established connection costs no goroutine; OnOpen runs then,
// or the connection closes without ever reaching the handler (a dialed one
// reports its dial failed).
//
// Kernel TLS would slot in after the handshake: with the tls module, the
// session's keys go to setsockopt(SOL_TLS), the wire stops at the handshake,
// and reads, writes and sendfile see plaintext again. These machines have
// no tls module, so it is left out.

// tlsPhase is where a session stands; it only moves forward.
type tlsPhase uint8

const (
	tlsWaiting     tlsPhase = iota // a dial that has not connected yet
	tlsHandshaking                 // the handshake goroutine runs
	tlsOpening                     // handshake done; OnOpen runs, output waits
	tlsLive                        // records flow on the loop
	tlsFailed                      // the handshake failed: the alert, or a plaintext reply, drains
)

// tlsSession is a connection's TLS layer.
type tlsSession struct {
	cfg    *tls.Config
	server bool
	// announced: the handler knows the connection (StartTLS on an open one,
	// or OnOpen ran); a session that fails before reports nothing to an
	// accepted connection's handler.
	announced bool
	phase     tlsPhase
	notified  bool // close_notify sent
	peerDone  bool // close_notify received
	tc        *tls.Conn
	wire      *tlsWire
	timer     *Timer // the handshake's timeout

	plain buffer.Inbound // pooled memory of text
	text  []byte         // plaintext the handler has not consumed
	// pending is output that waits to be encrypted, in order: written
	// before the session was live, or behind a file being sent
	// (tls_sendfile.go); notifyOwed is a close_notify asked for meanwhile.
	pending    []tlsPending
	notifyOwed bool
}

func newTLSSession(cfg *tls.Config, server, announced bool) *tlsSession {
	return &tlsSession{cfg: cfg, server: server, announced: announced}
}

// startTLS begins the TLS session of a connection that just opened: the
// listener's, or the one DialTLS gave it.
func (c *Conn) startTLS() {
	if c.sec == nil {
		c.sec = newTLSSession(c.ep.tls, true, false)
	}
	c.sec.start(c)
}

// start begins the handshake on its goroutine, taking input the handler
// left (StartTLS) as its first bytes.
func (s *tlsSession) start(c *Conn) {
	s.phase = tlsHandshaking
	s.wire = newTLSWire(c)
	if s.server {
		s.tc = tls.Server(s.wire, s.cfg)
	} else {
		s.tc = tls.Client(s.wire, s.cfg)
	}
	if len(c.in) > 0 {
		if s.wire.feed(c.in) {
			c.rd |= readHandshakeFull
		}
		c.in = c.in[len(c.in):]
	}
	s.timer = c.l.AfterFunc(c.l.eng.cfg.tlsHandshakeTimeout, func() {
		if c.sec == s && s.phase == tlsHandshaking {
			c.closeNow(ErrTLSHandshakeTimeout)
		}
	})
	go s.handshake(c)
}

// handshake runs on its own goroutine until the handshake ends, then hands
// the connection back to its loop.
func (s *tlsSession) handshake(c *Conn) {
	s.wire.pipe.takeTurn()
	err := s.tc.Handshake()
	s.wire.pipe.leaveTurn()
	c.l.Submit(func() { c.handshakeDone(s, err) }) // fails only once the loop closed c
}

// handshakeDone takes the connection back from the handshake goroutine.
func (c *Conn) handshakeDone(s *tlsSession, err error) {
	if c.sec != s || c.state != stateOpen && c.state != stateClosing || s.phase != tlsHandshaking {
		return // closed meanwhile
	}
	s.timer.Stop()
	s.timer = nil // an idle connection keeps no timer
	s.wire.goLive()
	c.rd &^= readHandshakeFull
	if err != nil {
		s.phase = tlsFailed
		s.dropPending(err)
		c.l.count(cTLSFailed, 1)
		if reply := c.ep.tlsReply; len(reply) > 0 && s.server && !s.announced && notTLS(err) {
			c.answerPlaintext(reply)
			return
		}
		c.rd |= readDone
		c.closeGracefully(err) // after the alert crypto/tls queued
		return
	}
	c.l.count(cTLSHandshakes, 1)
	s.phase = tlsOpening
	if !s.announced {
		s.announced = true
		c.announce() // OnOpen, whose output waits in pending, then goLive
	} else {
		s.goLive(c)
	}
	if c.state == stateOpen && c.rd&readDone == 0 { // a close asked meanwhile reads no more
		// Records that came behind the handshake wait in the wire; those
		// the driver holds come later, as the handshake held them back. A
		// FIN that came during the handshake ends the input after them.
		if c.rd&readEOF != 0 {
			s.wire.eof = true
			c.rd &^= readEOF // set again by endOfInput, once deliver reaches it
		}
		fresh, err := s.decrypt(c.l, nil)
		s.deliver(c, fresh, err)
	}
}

// notTLS reports whether a handshake failed because the client's first
// record could not begin one; crypto/tls sends no alert then, and gives
// the wire in the error so that a server may answer in the clear.
func notTLS(err error) bool {
	var re tls.RecordHeaderError
	return errors.As(err, &re) && re.Conn != nil
}

// answerPlaintext writes reply in the clear to a client that does not
// speak TLS (WithTLSPlaintextReply), then ends the connection as a
// half-close does: FIN once the reply has left, and what the client still
// sends is read and dropped until it ends too. Closing with its input
// unread would send a reset, which may destroy the reply before the client
// reads it. The close linger bounds a client that neither stops sending
// nor ends.
func (c *Conn) answerPlaintext(reply []byte) {
	s := c.sec
	s.wire.pipe = nil // the rest of the client's first bytes, dropped
	c.markQueued()
	c.out.Copy(reply)
	c.wr |= writeShutAsked
	c.armLinger()
	c.l.touch(c)
}

// goLive starts the records' flow: output written before it is encrypted
// first, then a CloseWrite asked meanwhile sends its close_notify. It
// reports whether c is still open.
func (s *tlsSession) goLive(c *Conn) bool {
	s.phase = tlsLive
	if s.pump(c); !c.alive() {
		return false
	}
	if c.wr&writeShutAsked != 0 {
		s.closeNotify()
	}
	c.l.touch(c)
	return true
}

// write encrypts bufs into c's output, or keeps them in order behind what
// waits (pending); it returns how many plaintext bytes it took.
func (s *tlsSession) write(c *Conn, bufs ...[]byte) (int, error) {
	if len(s.pending) > 0 || s.phase != tlsLive {
		return s.queueBehind(bufs), nil
	}
	return s.encrypt(c, bufs...)
}

func (s *tlsSession) encrypt(c *Conn, bufs ...[]byte) (int, error) {
	n := 0
	for _, b := range bufs {
		if len(b) == 0 {
			continue
		}
		c.markQueued()
		k, err := s.tc.Write(b)
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// asyncWrite serves AsyncWritev: done (if not nil) runs once the
// ciphertext of bufs has been sent, or with the reason it never will be.
func (s *tlsSession) asyncWrite(c *Conn, bufs [][]byte, done func(*Conn, error)) {
	waits := len(s.pending) > 0 || s.phase != tlsLive
	_, err := s.write(c, bufs...)
	c.l.touch(c)
	if done == nil {
		return
	}
	cb := func(err error) { done(c, err) }
	switch {
	case err != nil:
		cb(err)
	case waits:
		s.pending = append(s.pending, tlsPending{done: cb}) // once what precedes it is sent
	default:
		c.out.Then(cb)
	}
}

// closeNotify queues a close_notify alert, once, on a live session, after
// what waits behind a file.
func (s *tlsSession) closeNotify() {
	if len(s.pending) > 0 {
		s.notifyOwed = true
		return
	}
	if s.phase == tlsLive && !s.notified {
		s.notified = true
		s.tc.CloseWrite() // fails only when a fatal alert went out already
	}
}

// traffic serves ciphertext the driver read (c.in, then held more bytes
// that the driver offers later): the handshake goroutine's, or records to
// decrypt and offer to OnTraffic as plaintext.
func (s *tlsSession) traffic(c *Conn, held int) bool {
	cipher := c.in
	c.in = c.in[len(c.in):]
	restore := func() {
		if held > 0 {
			c.in = c.in[:held] // the held bytes follow the offered ones
		}
		c.keepInput()
	}
	switch s.phase {
	case tlsHandshaking:
		if s.wire.feed(cipher) {
			c.rd |= readHandshakeFull
		}
		restore()
		c.l.touch(c) // reading follows rd at the callback's end
		return true
	case tlsOpening, tlsFailed:
		restore() // input after a failed handshake is dropped
		return true
	}
	fresh, err := s.decrypt(c.l, cipher)
	restore()
	return s.deliver(c, fresh, err)
}

// deliver ends a decryption: it offers fresh plaintext to OnTraffic, or
// closes after a failure, and ends the input after close_notify. It
// reports whether the connection is still open.
func (s *tlsSession) deliver(c *Conn, fresh bool, err error) bool {
	if err != nil {
		s.keepText(c.l)
		c.rd |= readDone
		c.closeGracefully(err) // after the alert crypto/tls queued, if any
		return c.alive()
	}
	if fresh && !c.offer() {
		return false
	}
	c.l.settle()
	if s.peerDone && c.rd&readEOF == 0 && c.alive() {
		c.endOfInput()
	}
	return c.alive()
}

// decrypt feeds cipher to crypto/tls and puts the plaintext of every
// complete record in text; it reports whether there was any. With nothing
// kept from before, the plaintext lands in the loop's scratch, to be
// offered in place as a plain connection's input is (offer keeps what the
// handler leaves); it moves to the session's own memory only if it
// outgrows the scratch.
func (s *tlsSession) decrypt(l *Loop, cipher []byte) (fresh bool, err error) {
	s.wire.src = cipher
	defer func() { s.wire.src = nil }()
	inScratch := len(s.text) == 0
	if inScratch {
		s.text = l.tlsScratch()[:0]
	}
	for !s.peerDone {
		var room []byte
		switch {
		case inScratch && len(s.text) < cap(s.text):
			room = s.text[len(s.text):cap(s.text)]
		case inScratch:
			s.text, inScratch = s.plain.Keep(s.text), false
			continue
		default:
			room, s.text = s.plain.Spare(s.text, minSpare)
		}
		n, err := s.tc.Read(room)
		if inScratch {
			s.text = s.text[:len(s.text)+n]
		} else {
			s.text = s.plain.Extend(s.text, n)
		}
		fresh = fresh || n > 0
		switch {
		case err == nil:
		case errors.Is(err, errWouldBlock):
			s.releaseIfEmpty()
			return fresh, nil
		case err == io.EOF:
			s.peerDone = true
		default:
			return fresh, err
		}
	}
	s.releaseIfEmpty()
	return fresh, nil
}

// tlsScratchSize holds the plaintext of a full read buffer of records.
const tlsScratchSize = 64 << 10

// tlsScratch returns the loop's memory that plaintext is offered in.
func (l *Loop) tlsScratch() []byte {
	if l.tlsBuf == nil {
		l.tlsBuf = make([]byte, tlsScratchSize)
	}
	return l.tlsBuf
}

// endOfInput serves the socket's end of input; it reports whether the
// connection ends its input as a plain one would. The peer may end only
// at a record boundary (truncation attacks end mid-record); during the
// handshake the end fails it.
func (s *tlsSession) endOfInput(c *Conn) bool {
	switch s.phase {
	case tlsHandshaking:
		c.rd |= readEOF
		s.wire.fail(io.ErrUnexpectedEOF)
		c.drv.sync(c)
		return false
	case tlsLive:
		if s.peerDone {
			return true
		}
		s.wire.eof = true
		_, err := s.decrypt(c.l, nil)
		s.keepText(c.l) // nothing, unless records came with the end
		if err != nil {
			c.rd |= readEOF | readDone
			c.closeNow(err)
			return false
		}
	case tlsFailed:
		// Only a client answered in the clear reads on (answerPlaintext):
		// it is done, and closes once the answer has left.
		c.rd |= readEOF
		c.closeGracefully(nil)
		return false
	}
	return true
}

// releaseIfEmpty gives the plaintext's pool memory back once it is all
// consumed, so that an idle connection holds none.
func (s *tlsSession) releaseIfEmpty() {
	if len(s.text) == 0 {
		s.text = nil
		s.plain.Release()
	}
}

// release ends the session of a connection that closed: the handshake
// goroutine, if any, wakes to its end, and the pool memory goes back.
func (s *tlsSession) release(c *Conn, err error) {
	if s.phase == tlsHandshaking {
		c.l.count(cTLSFailed, 1) // cut short: a timeout, the peer, Stop
	}
	if s.timer != nil {
		s.timer.Stop()
	}
	if s.wire != nil {
		s.wire.fail(ErrNotConnected)
	}
	s.dropPending(err)
	s.text = nil
	s.plain.Release()
}

// hidden reports whether the handler does not know the connection yet.
func (c *Conn) hidden() bool { return c.sec != nil && !c.sec.announced }

// unread returns how many input bytes the handler has not consumed.
func (c *Conn) unread() int {
	if c.sec != nil {
		return len(c.sec.text)
	}
	return len(c.in)
}

// offer runs OnTraffic with the input the handler sees: for TLS, the
// plaintext in place of the driver's ciphertext. It reports whether the
// connection is still open.
func (c *Conn) offer() bool {
	s := c.sec
	if s == nil {
		c.onTraffic()
		return c.alive()
	}
	driver := c.in
	c.in = s.text
	c.onTraffic()
	if c.state == stateClosed {
		return false
	}
	s.text, c.in = c.in, driver
	s.keepText(c.l)
	return true
}

// keepText moves plaintext left in the loop's scratch, where the next
// connection's goes, into the session's own memory.
func (s *tlsSession) keepText(l *Loop) {
	if len(s.text) > 0 && buffer.Within(s.text, l.tlsBuf) {
		s.text = s.plain.Keep(s.text)
	}
	s.releaseIfEmpty()
}
