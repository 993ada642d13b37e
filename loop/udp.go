package loop

import (
	"net"
	"os"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/poller"
)

// datagramBatch bounds the datagrams read per readiness, so one busy socket
// does not starve the loop's other sockets.
const datagramBatch = 64

// openPacketConn serves a bound datagram socket on the loop. Datagram
// sockets are not connections: they get no OnOpen or OnClose.
func (l *Loop) openPacketConn(fd int, ln *listener) {
	c := newConn(l, fd, ln.ep.network, false, nil)
	c.state = stateOpen
	if err := l.poll.Add(fd, poller.Readable); err != nil {
		l.eng.cfg.logger.Error("loop: cannot watch datagram socket", "addr", ln.addr, "err", err)
		unix.Close(fd)
		return
	}
	c.interest = poller.Readable
	l.conns[fd] = c
}

// readDatagrams offers each datagram to OnTraffic with its sender as the
// connection's remote address.
func (c *Conn) readDatagrams() {
	l := c.l
	for i := 0; l.eng.cfg.edge || i < datagramBatch; i++ {
		n, from, err := unix.Recvfrom(c.fd, l.readBuf, 0)
		switch err {
		case nil:
		case unix.EINTR, unix.ECONNREFUSED:
			continue
		case unix.EAGAIN:
			return
		default:
			l.eng.cfg.logger.Warn("loop: recvfrom failed", "addr", c.LocalAddr(), "err", err)
			return
		}
		c.in, c.remote, c.raddr = l.readBuf[:n], from, nil
		c.act(l.eng.h.OnTraffic(c))
		c.in = nil
		l.settle()
		if c.state == stateClosed {
			return
		}
	}
}

func (c *Conn) sendDatagram(b []byte) (int, error) {
	if c.remote == nil {
		return 0, &net.OpError{Op: "write", Net: c.network, Err: os.ErrInvalid}
	}
	for {
		err := unix.Sendto(c.fd, b, 0, c.remote)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, &net.OpError{Op: "write", Net: c.network, Addr: c.RemoteAddr(), Err: os.NewSyscallError("sendto", err)}
		}
		return len(b), nil
	}
}

func (c *Conn) sendDatagrams(bufs [][]byte) (int, error) {
	if c.remote == nil {
		return 0, &net.OpError{Op: "write", Net: c.network, Err: os.ErrInvalid}
	}
	for {
		n, err := unix.SendmsgBuffers(c.fd, bufs, nil, c.remote, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, &net.OpError{Op: "write", Net: c.network, Addr: c.RemoteAddr(), Err: os.NewSyscallError("sendmsg", err)}
		}
		return n, nil
	}
}
