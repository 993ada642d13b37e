package loop

import (
	"errors"
	"net"
	"net/netip"
	"os"

	"github.com/sockloop/sockloop/poller"
)

// datagramBatch bounds the datagrams read per readiness, so one busy socket
// does not starve the loop's other sockets.
const datagramBatch = 64

// maxDatagram is the largest UDP payload (65535 less the IPv4 headers).
const maxDatagram = 65507

// openPacketConn serves a bound datagram socket on the loop. Datagram
// sockets are not connections: they get no OnOpen or OnClose.
func (l *Loop) openPacketConn(fd int, ln *listener) {
	c := newConn(l, fd, ln.ep, false, nil)
	c.state = stateOpen
	c.dg = new(dgramState)
	c.enableOffload()
	if l.eng.cfg.ancillary {
		// Both on an IPv6 socket: a dual-stack one also receives IPv4.
		if ln.ep.family == afInet6 {
			enablePacketInfo6(fd)
		}
		enablePacketInfo4(fd)
	}
	if err := l.poll.Add(fd, poller.Readable); err != nil {
		l.eng.cfg.logger.Error("loop: cannot watch datagram socket", "addr", ln.addr, "err", err)
		closeFD(fd)
		return
	}
	c.interest = poller.Readable
	l.conns.put(fd, c)
}

// readDatagrams offers each datagram to OnTraffic with its sender as the
// connection's remote address, reading them in batches where the system can
// (recvmmsg) and sending the replies of a batch together (sendmmsg).
func (c *Conn) readDatagrams() {
	l := c.l
	for i := 0; l.eng.cfg.edge || i < datagramBatch; {
		n, err := c.recvBatch()
		switch err {
		case nil:
		case errIntr, errDgramRefused:
			continue
		case errAgain:
			return
		default:
			l.eng.cfg.logger.Warn("loop: receiving datagrams failed", "addr", c.LocalAddr(), "err", err)
			return
		}
		for j := range n {
			data, oob := c.datagram(j)
			// A buffer the kernel coalesced (UDP GRO) holds datagrams of
			// one size; each still gets its own OnTraffic.
			seg := groSegment(oob)
			for first := true; first || len(data) > 0; first = false {
				k := len(data)
				if seg > 0 {
					k = min(seg, k)
				}
				x := c.rare()
				c.in, x.oob, x.raddr = data[:k], oob, nil
				c.act(l.eng.h.OnTraffic(c))
				data = data[k:]
			}
		}
		c.in = nil
		if c.x != nil {
			c.x.oob = nil
		}
		c.endBatch()
		l.settle()
		if c.state == stateClosed {
			return
		}
		i += n
	}
}

// ReceivedOn returns the local address and interface index the current
// datagram arrived on (WithAncillary, datagram sockets inside OnTraffic).
func (c *Conn) ReceivedOn() (netip.Addr, int, error) {
	if c.stream || !c.l.eng.cfg.ancillary {
		return netip.Addr{}, 0, &net.OpError{Op: "recvmsg", Net: c.network(), Err: errors.ErrUnsupported}
	}
	return receivedOn(c.rare().oob)
}

// replySource returns the control data that makes a reply leave from the
// address the current datagram came to, nil when there is none to use.
func (c *Conn) replySource(dst []byte) []byte {
	if !c.l.eng.cfg.ancillary || c.x == nil || len(c.x.oob) == 0 {
		return nil
	}
	local, ifindex, err := receivedOn(c.x.oob)
	if err != nil {
		return nil
	}
	oob, err := appendSource(dst, local, ifindex)
	if err != nil {
		return nil
	}
	return oob
}

func errNoDatagram(network string) error {
	return &net.OpError{Op: "write", Net: network, Err: errors.New("no current datagram to reply to (write inside OnTraffic)")}
}

func datagramWriteError(c *Conn, call string, err error) error {
	return &net.OpError{Op: "write", Net: c.network(), Addr: c.RemoteAddr(), Err: os.NewSyscallError(call, err)}
}
