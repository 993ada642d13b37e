package loop

import "net"

// A connection's state has three parts, written down here once: its
// lifecycle, what stops it reading, and where its writing stands. The rest
// of the package asks the questions at the end of this file rather than
// combining the parts itself, and the functions that end a connection
// (closeNow, and those that can reach it) report whether it is still open,
// so that their callers stop instead of checking again.

// connState is a connection's lifecycle; it only moves forward.
//
//   - stateConnecting: a dial waits for connect to finish. Output queues;
//     nothing is read or sent.
//   - stateOpen: the connection reads while its read side allows and sends
//     what is queued.
//   - stateClosing: a graceful close is under way (the handler's Close, the
//     peer's end without a ReadEOFHandler, Stop): nothing is read and no
//     output is accepted; the queued output drains, then the connection
//     closes, or WithCloseLinger after, dropping the rest with a reset.
//   - stateClosed: OnClose has run or is running. The descriptor is closed,
//     or kept by the driver until operations in flight end (Loop.zombies).
type connState uint8

const (
	stateConnecting connState = iota
	stateOpen
	stateClosing
	stateClosed
)

// readStop is the set of reasons a connection does not read now; it reads
// while the set is empty and it is open. Each reason has one owner that sets
// and clears it.
type readStop uint8

const (
	// readBackpressure: queued output passed the high-water mark; cleared
	// when it drains to the low one (afterFlush).
	readBackpressure readStop = 1 << iota
	// readPaused: PauseRead, until ResumeRead.
	readPaused
	// readRelayFull: input is relayed to a connection that is full;
	// cleared when that one drains (relayLink.drained).
	readRelayFull
	// readEOF: the peer finished sending; never cleared.
	readEOF
	// readDone: the handler sees no more input: it asked for the close, or
	// the last OnTraffic before an orderly close is running. Never cleared.
	readDone
	// readHandshakeFull: input waits for a TLS handshake goroutine that
	// has not taken it yet; cleared when it has (tlsWire.Read) or the
	// handshake ends.
	readHandshakeFull
)

// writeState is where a connection's sending side stands.
type writeState uint8

const (
	// writeOverHigh: output passed the high-water mark, so OnDrain is owed
	// once it falls to the low one.
	writeOverHigh writeState = 1 << iota
	// writeCloseAsked: the handler asked for the close; the end of the
	// callback (settle) starts it, after one last flush.
	writeCloseAsked
	// writeShutAsked: CloseWrite asked for, or a plaintext reply queued
	// (answerPlaintext); no more output is accepted and the sending side
	// shuts once what is queued drains.
	writeShutAsked
	// writeShut: shutdown(SHUT_WR) done.
	writeShut
)

// wantsInput reports whether the connection reads now. A TLS handshake
// reads even once the handler has stopped (a close that waits to send
// what was written before it, closeGracefully): its input is not the
// handler's.
func (c *Conn) wantsInput() bool {
	return c.state == stateOpen && (c.rd == 0 || c.rd == readDone && c.sec != nil && c.sec.phase <= tlsHandshaking)
}

// seesTraffic reports whether OnTraffic may still run for the connection.
func (c *Conn) seesTraffic() bool {
	return (c.state == stateOpen || c.state == stateClosing) && c.rd&readDone == 0
}

// writable returns nil while the connection accepts output, else the error
// its writers return.
func (c *Conn) writable() error {
	if c.state > stateOpen || c.rd&readDone != 0 || c.wr&(writeCloseAsked|writeShutAsked) != 0 {
		return &net.OpError{Op: "write", Net: c.network(), Addr: c.RemoteAddr(), Err: ErrNotConnected}
	}
	return nil
}

// alive reports whether the connection is not closed; helpers that may
// close it return it, so that their callers stop at once.
func (c *Conn) alive() bool { return c.state != stateClosed }
