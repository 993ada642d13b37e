package loop

import (
	"fmt"
	"net"
)

// SendFDs fails on Windows, which has no SCM_RIGHTS: the error matches
// errors.ErrUnsupported.
func (c *Conn) SendFDs(b []byte, fds ...int) error {
	if err := c.writable(); err != nil {
		return err
	}
	return &net.OpError{Op: "sendmsg", Net: c.network(), Err: fmt.Errorf("passing descriptors: %w", errUnsupported)}
}

// readMsg is a plain read: no descriptors arrive with input on Windows.
func (c *Conn) readMsg(buf []byte) (int, error) { return sysRead(c.fd, buf) }
