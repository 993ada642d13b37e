//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ancillary

import (
	"os"

	"golang.org/x/sys/unix"
)

// Truncated reports whether recvmsg's flags carry MSG_CTRUNC: the kernel
// had more control data than the buffer held. See the package doc for what
// each system does with the fds that did not fit.
func Truncated(flags int) bool { return flags&unix.MSG_CTRUNC != 0 }

// TakeRights appends to dst at most limit of the fds carried by the
// SCM_RIGHTS messages in oob (the control bytes recvmsg returned, with its
// flags), closes every other fd they carry, and returns the extended slice
// and how many fds it closed. A limit of 0 or less takes none.
//
// The fds returned are always open and owned by the caller, whatever err
// says; nothing else is left open. err reports the first problem found:
//   - a *ParseError or *DecodeError when oob is malformed; fds after the
//     malformation cannot be seen, so none are taken or closed there;
//   - an *os.SyscallError when a close failed;
//   - ErrTruncated when flags has MSG_CTRUNC. Then a final message cut
//     short by the buffer (as macOS leaves it) is tolerated, and the whole
//     fds in an SCM_RIGHTS one are taken or closed like the others.
//
// It allocates only when dst lacks the capacity, or to report an error
// other than ErrTruncated.
func TakeRights(dst []int, oob []byte, flags, limit int) (fds []int, closed int, err error) {
	t := taker{dst: dst, left: max(limit, 0)}
	p := NewParser(oob)
	for m, ok := p.Next(); ok; m, ok = p.Next() {
		if m.IsRights() {
			if len(m.Data)%sizeofFD != 0 {
				t.fail(m.decodeError("TakeRights", ErrMalformed))
			}
			t.take(m.Data)
		}
	}
	truncated := Truncated(flags)
	if pe := p.err; pe != nil {
		switch {
		case truncated && pe.Len >= hdrLen:
			// A final message running past the buffer, as macOS leaves
			// it: its whole fds are dealt with like the others.
			if _, level, typ := readHeader(oob[pe.Offset:]); (Message{Level: level, Type: typ}).IsRights() {
				t.take(oob[pe.Offset+hdrLen:])
			}
		case truncated && pe.Len == -1:
			// A final header cut short: it carries no fd.
		default:
			t.fail(pe)
		}
	}
	if t.err == nil && truncated {
		t.err = ErrTruncated
	}
	return t.dst, t.closed, t.err
}

// CloseRights closes every fd carried by the SCM_RIGHTS messages in oob and
// returns how many it closed; it is TakeRights with a limit of 0, and
// reports errors as TakeRights does.
func CloseRights(oob []byte, flags int) (closed int, err error) {
	_, closed, err = TakeRights(nil, oob, flags, 0)
	return closed, err
}

// taker hands fds to the caller up to a limit and closes the rest.
type taker struct {
	dst    []int
	left   int // fds the caller still takes
	closed int
	err    error
}

// take deals with the whole fds in data, in order; a negative value (which
// no kernel delivers) is neither taken nor closed, and is reported.
func (t *taker) take(data []byte) {
	for i := 0; i+sizeofFD <= len(data); i += sizeofFD {
		fd := fdAt(data, i)
		switch {
		case fd < 0:
			t.fail(&DecodeError{Op: "TakeRights", Level: unix.SOL_SOCKET, Type: unix.SCM_RIGHTS, Len: len(data), Err: ErrMalformed})
		case t.left > 0:
			t.dst = append(t.dst, fd)
			t.left--
		default:
			if err := closeFD(fd); err != nil {
				t.fail(os.NewSyscallError("close", err))
			}
			t.closed++
		}
	}
}

// fail records err unless an error is already recorded.
func (t *taker) fail(err error) {
	if t.err == nil {
		t.err = err
	}
}
