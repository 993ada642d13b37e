package loop

import (
	"errors"
	"net"
	"net/netip"
	"os"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
	"github.com/sockloop/sockloop/poller"
	"github.com/sockloop/sockloop/sockopt"
)

// datagramBatch bounds the datagrams read per readiness, so one busy socket
// does not starve the loop's other sockets.
const datagramBatch = 64

// openPacketConn serves a bound datagram socket on the loop. Datagram
// sockets are not connections: they get no OnOpen or OnClose.
func (l *Loop) openPacketConn(fd int, ln *listener) {
	c := newConn(l, fd, ln.ep.network, false, nil)
	c.state = stateOpen
	if l.eng.cfg.ancillary {
		// Both on an IPv6 socket: a dual-stack one also receives IPv4.
		if ln.ep.family == unix.AF_INET6 {
			sockopt.SetRecvPacketInfo6(fd, true)
		}
		sockopt.SetRecvPacketInfo4(fd, true)
	}
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
		n, from, err := c.recvDatagram()
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
		c.in, c.oob = nil, nil
		l.settle()
		if c.state == stateClosed {
			return
		}
	}
}

// recvDatagram reads one datagram into the loop's buffer, with its control
// data when WithAncillary is on.
func (c *Conn) recvDatagram() (int, unix.Sockaddr, error) {
	l := c.l
	if !l.eng.cfg.ancillary {
		return unix.Recvfrom(c.fd, l.readBuf, 0)
	}
	if l.oob == nil {
		n, _ := ancillary.Space(4 * maxPassedFDs)
		l.oob = make([]byte, n)
	}
	n, oobn, _, from, err := unix.Recvmsg(c.fd, l.readBuf, l.oob, 0)
	if err == nil {
		c.oob = l.oob[:oobn]
	}
	return n, from, err
}

// ReceivedOn returns the local address and interface index the current
// datagram arrived on (WithAncillary, datagram sockets inside OnTraffic).
func (c *Conn) ReceivedOn() (netip.Addr, int, error) {
	if c.stream || !c.l.eng.cfg.ancillary {
		return netip.Addr{}, 0, &net.OpError{Op: "recvmsg", Net: c.network, Err: errors.ErrUnsupported}
	}
	return receivedOn(c.oob)
}

func (c *Conn) sendDatagram(b []byte) (int, error) {
	if c.remote == nil {
		return 0, &net.OpError{Op: "write", Net: c.network, Err: os.ErrInvalid}
	}
	if c.l.eng.cfg.ancillary && len(c.oob) > 0 {
		return c.sendDatagrams([][]byte{b})
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
	var oob []byte
	if c.l.eng.cfg.ancillary && len(c.oob) > 0 {
		// Reply from the address the datagram came to, as a multi-homed
		// or wildcard-bound server must.
		if local, ifindex, err := receivedOn(c.oob); err == nil {
			oob, _ = appendSource(c.l.oobOut[:0], local, ifindex)
			c.l.oobOut = oob
		}
	}
	for {
		n, err := unix.SendmsgBuffers(c.fd, bufs, oob, c.remote, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, &net.OpError{Op: "write", Net: c.network, Addr: c.RemoteAddr(), Err: os.NewSyscallError("sendmsg", err)}
		}
		return n, nil
	}
}
