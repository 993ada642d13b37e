//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ancillary

import (
	"iter"
	"math"
)

// Parser walks the control messages of one buffer without allocating.
// The zero Parser holds no messages; use NewParser. A Parser is not safe
// for concurrent use.
//
//	p := ancillary.NewParser(oob)
//	for m, ok := p.Next(); ok; m, ok = p.Next() {
//		...
//	}
//	if err := p.Err(); err != nil {
//		...
//	}
type Parser struct {
	buf []byte
	off int
	err *ParseError
}

// NewParser returns a Parser over b, the control bytes recvmsg returned
// (oob[:oobn]). The Parser does not copy b.
func NewParser(b []byte) Parser { return Parser{buf: b} }

// Next returns the next message and true, or false at the end of the buffer
// or at malformed data (then Err reports it). The message's Data aliases the
// buffer and is capped at its length, so appending to it copies.
func (p *Parser) Next() (Message, bool) {
	rem := len(p.buf) - p.off
	if p.err != nil || rem <= 0 {
		return Message{}, false
	}
	if rem < hdrLen {
		p.err = &ParseError{Offset: p.off, Len: -1, Reason: "incomplete header"}
		return Message{}, false
	}
	l, level, typ := readHeader(p.buf[p.off:])
	switch {
	case l < hdrLen:
		p.err = &ParseError{Offset: p.off, Len: clampLen(l), Reason: "cmsg_len shorter than the header"}
		return Message{}, false
	case l > uint64(rem):
		p.err = &ParseError{Offset: p.off, Len: clampLen(l), Reason: "cmsg_len runs past the buffer"}
		return Message{}, false
	}
	end := p.off + int(l)
	m := Message{Level: level, Type: typ, Data: p.buf[p.off+hdrLen : end : end]}
	p.off = min(p.off+align(int(l)), len(p.buf))
	return m, true
}

// Err returns the *ParseError that stopped the walk, or nil.
func (p *Parser) Err() error {
	if p.err == nil {
		return nil
	}
	return p.err
}

// clampLen converts a cmsg_len for an error report.
func clampLen(l uint64) int { return int(min(l, math.MaxInt32)) }

// Messages returns an iterator over the control messages in b that yields
// each message with a nil error, then, if the data is malformed, one zero
// Message with the *ParseError and stops. Data aliases b.
//
//	for m, err := range ancillary.Messages(oob[:oobn]) {
//		if err != nil {
//			return err
//		}
//		...
//	}
func Messages(b []byte) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		p := NewParser(b)
		for m, ok := p.Next(); ok; m, ok = p.Next() {
			if !yield(m, nil) {
				return
			}
		}
		if p.err != nil {
			yield(Message{}, p.err)
		}
	}
}
