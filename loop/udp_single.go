//go:build unix && !linux

package loop

import (
	"golang.org/x/sys/unix"
)

// dgramState is the datagram just read.
type dgramState struct {
	data, oob []byte
}

// recvBatch reads one datagram: these systems have no recvmmsg.
func (c *Conn) recvBatch() (int, error) {
	l := c.l
	if !l.eng.cfg.ancillary {
		n, from, err := unix.Recvfrom(c.fd, l.readBuf, 0)
		if err != nil {
			return 0, err
		}
		c.remote, c.dg.data = from, l.readBuf[:n]
		return 1, nil
	}
	if l.oob == nil {
		l.oob = make([]byte, oobSpace())
	}
	n, oobn, _, from, err := unix.Recvmsg(c.fd, l.readBuf, l.oob, 0)
	if err != nil {
		return 0, err
	}
	c.remote, c.dg.data, c.dg.oob = from, l.readBuf[:n], l.oob[:oobn]
	return 1, nil
}

func (c *Conn) datagram(int) ([]byte, []byte) { return c.dg.data, c.dg.oob }

func (c *Conn) endBatch() { c.remote, *c.dg = nil, dgramState{} }

// sendDatagrams sends bufs as one datagram to the current sender at once.
func (c *Conn) sendDatagrams(bufs ...[]byte) (int, error) {
	if c.remote == nil {
		return 0, errNoDatagram(c.network())
	}
	oob := c.replySource(c.l.oobOut[:0])
	for {
		n, err := unix.SendmsgBuffers(c.fd, bufs, oob, c.remote, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, datagramWriteError(c, "sendmsg", err)
		}
		return n, nil
	}
}

func (c *Conn) peerSockaddr() unix.Sockaddr { return c.remote }

// groSegment is 0: UDP GRO is Linux's.
func groSegment([]byte) int { return 0 }

func (c *Conn) enableOffload() {}
