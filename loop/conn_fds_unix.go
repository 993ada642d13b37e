//go:build unix

package loop

import (
	"errors"
	"net"
	"os"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
)

// maxPassedFDs is how many descriptors one read can receive; Linux refuses
// more than 253 in one message, so this holds a few messages' worth.
const maxPassedFDs = 512

// SendFDs queues b to be sent with duplicates of fds attached (SCM_RIGHTS),
// in order with the other output; the caller keeps its own descriptors.
// The duplicates are closed once sent or dropped. b must not be empty.
func (c *Conn) SendFDs(b []byte, fds ...int) error {
	if err := c.writable(); err != nil {
		return err
	}
	if c.network() != "unix" || len(b) == 0 || len(fds) == 0 {
		return &net.OpError{Op: "sendmsg", Net: c.network(), Err: os.ErrInvalid}
	}
	dups := make([]int, 0, len(fds))
	closeAll := func(error) {
		for _, fd := range dups {
			unix.Close(fd)
		}
	}
	for _, fd := range fds {
		dup, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
		if err != nil {
			closeAll(nil)
			return &net.OpError{Op: "sendmsg", Net: c.network(), Err: os.NewSyscallError("fcntl", err)}
		}
		dups = append(dups, dup)
	}
	oob, err := ancillary.AppendRights(nil, dups...)
	if err != nil {
		closeAll(nil)
		return &net.OpError{Op: "sendmsg", Net: c.network(), Err: err}
	}
	c.markQueued()
	c.out.Control(b, oob, closeAll)
	c.noteHigh()
	c.l.touch(c)
	return nil
}

// readMsg is read(2) for connections that receive control messages: one
// recvmsg into buf, keeping passed descriptors for TakeFDs.
func (c *Conn) readMsg(buf []byte) (int, error) {
	l := c.l
	if l.oob == nil {
		n, _ := ancillary.Space(4 * maxPassedFDs)
		l.oob = make([]byte, n)
	}
	n, oobn, flags, _, err := unix.Recvmsg(c.fd, buf, l.oob, recvmsgFlags)
	if err != nil || oobn == 0 {
		return n, err
	}
	x := c.rare()
	fds, _, perr := ancillary.TakeRights(x.fds, l.oob[:oobn], flags, maxPassedFDs)
	setCloexec(fds[len(x.fds):])
	x.fds = fds
	if perr != nil && !errors.Is(perr, ancillary.ErrTruncated) {
		l.eng.cfg.logger.Warn("loop: malformed control data", "err", perr)
	}
	return n, nil
}
