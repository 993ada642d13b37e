package loop

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// dgramState is a socket's batch: datagrams received with one recvmmsg and
// the replies to them, sent with one sendmmsg when the batch is served.
type dgramState struct {
	cur  int // index of the datagram being served, -1 outside OnTraffic
	in   mmsgBatch
	out  mmsgBatch
	data []byte // receive slab: one maxDatagram slot per message
	oobs []byte // receive control slab
	// Replies: payloads and control data appended, iovecs built at flush.
	outData []byte
	outOOB  []byte
	outEnds []int // end offsets of each reply's payload and control data
}

// mmsgBatch holds the kernel structures of one recvmmsg / sendmmsg call.
type mmsgBatch struct {
	msgs  []unix.Mmsghdr
	iovs  []unix.Iovec
	names []unix.RawSockaddrAny
}

func newMmsgBatch(n int) mmsgBatch {
	return mmsgBatch{msgs: make([]unix.Mmsghdr, n), iovs: make([]unix.Iovec, n), names: make([]unix.RawSockaddrAny, n)}
}

// batchSize is how many datagrams one recvmmsg takes and one sendmmsg sends.
func (c *Conn) batchSize() int { return c.l.eng.cfg.udpBatch }

func (c *Conn) initBatch() {
	n := c.batchSize()
	d := &c.dg
	d.in, d.out = newMmsgBatch(n), newMmsgBatch(n)
	d.data = make([]byte, n*maxDatagram)
	d.cur = -1
	if c.l.eng.cfg.ancillary {
		d.oobs = make([]byte, n*oobSpace())
	}
}

// recvBatch reads up to batchSize datagrams with one recvmmsg.
func (c *Conn) recvBatch() (int, error) {
	d := &c.dg
	if d.in.msgs == nil {
		c.initBatch()
	}
	space := oobSpace()
	for i := range d.in.msgs {
		m := &d.in.msgs[i]
		d.in.iovs[i].Base = &d.data[i*maxDatagram]
		d.in.iovs[i].SetLen(maxDatagram)
		m.Hdr = unix.Msghdr{Name: (*byte)(unsafe.Pointer(&d.in.names[i])), Namelen: unix.SizeofSockaddrAny, Iov: &d.in.iovs[i], Iovlen: 1}
		if d.oobs != nil {
			m.Hdr.Control = &d.oobs[i*space]
			m.Hdr.SetControllen(space)
		}
		m.Len = 0
	}
	r, _, errno := unix.Syscall6(unix.SYS_RECVMMSG, uintptr(c.fd), uintptr(unsafe.Pointer(&d.in.msgs[0])), uintptr(len(d.in.msgs)), unix.MSG_DONTWAIT, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}

// datagram returns the payload and control data of datagram i of the batch
// and makes its sender the reply address.
func (c *Conn) datagram(i int) ([]byte, []byte) {
	d := &c.dg
	d.cur = i
	m := &d.in.msgs[i]
	var oob []byte
	if d.oobs != nil {
		space := oobSpace()
		oob = d.oobs[i*space : i*space+int(m.Hdr.Controllen)]
	}
	c.remote = nil // converted from the raw name only if RemoteAddr asks
	return d.data[i*maxDatagram : i*maxDatagram+int(m.Len)], oob
}

// currentPeer returns the raw address of the datagram being served.
func (c *Conn) currentPeer() (*unix.RawSockaddrAny, uint32, bool) {
	d := &c.dg
	if d.cur < 0 || d.in.msgs == nil {
		return nil, 0, false
	}
	return &d.in.names[d.cur], d.in.msgs[d.cur].Hdr.Namelen, true
}

// sendDatagrams queues bufs as one reply to the current datagram's sender;
// the batch's replies leave together when it has been served.
func (c *Conn) sendDatagrams(bufs ...[]byte) (int, error) {
	name, namelen, ok := c.currentPeer()
	if !ok {
		return 0, errNoDatagram(c.network)
	}
	d := &c.dg
	if len(d.outEnds)/2 == len(d.out.msgs) {
		c.flushReplies()
	}
	i := len(d.outEnds) / 2
	d.out.names[i] = *name
	d.out.msgs[i].Hdr.Namelen = namelen
	n := 0
	for _, b := range bufs {
		d.outData = append(d.outData, b...)
		n += len(b)
	}
	if n > maxDatagram {
		d.outData = d.outData[:len(d.outData)-n]
		return 0, datagramWriteError(c, "sendmmsg", unix.EMSGSIZE)
	}
	d.outOOB = append(d.outOOB, c.replySource(c.l.oobOut[:0])...)
	d.outEnds = append(d.outEnds, len(d.outData), len(d.outOOB))
	return n, nil
}

// endBatch sends the replies to the batch just served.
func (c *Conn) endBatch() {
	c.flushReplies()
	c.dg.cur = -1
}

// flushReplies sends the queued replies with sendmmsg. A datagram the
// kernel refuses (a full send buffer, an unreachable peer) is dropped, as
// UDP drops it anywhere else on the path.
func (c *Conn) flushReplies() {
	d := &c.dg
	count := len(d.outEnds) / 2
	if count == 0 {
		return
	}
	dataStart, oobStart := 0, 0
	for i := range count {
		dataEnd, oobEnd := d.outEnds[2*i], d.outEnds[2*i+1]
		m := &d.out.msgs[i]
		namelen := m.Hdr.Namelen
		m.Hdr = unix.Msghdr{Name: (*byte)(unsafe.Pointer(&d.out.names[i])), Namelen: namelen, Iov: &d.out.iovs[i], Iovlen: 1}
		if dataEnd > dataStart {
			d.out.iovs[i].Base = &d.outData[dataStart]
		} else {
			d.out.iovs[i].Base = nil
		}
		d.out.iovs[i].SetLen(dataEnd - dataStart)
		if oobEnd > oobStart {
			m.Hdr.Control = &d.outOOB[oobStart]
			m.Hdr.SetControllen(oobEnd - oobStart)
		}
		dataStart, oobStart = dataEnd, oobEnd
	}
	for sent := 0; sent < count; {
		r, _, errno := unix.Syscall6(unix.SYS_SENDMMSG, uintptr(c.fd), uintptr(unsafe.Pointer(&d.out.msgs[sent])), uintptr(count-sent), unix.MSG_DONTWAIT|unix.MSG_NOSIGNAL, 0, 0)
		switch {
		case errno == unix.EINTR:
			continue
		case errno != 0:
			sent++ // the message at the head failed: drop it and go on
		default:
			sent += int(r)
		}
	}
	clear(d.out.iovs[:count])
	d.outData, d.outOOB, d.outEnds = d.outData[:0], d.outOOB[:0], d.outEnds[:0]
}

// peerSockaddr converts the current datagram's raw sender address.
func (c *Conn) peerSockaddr() unix.Sockaddr {
	name, _, ok := c.currentPeer()
	if !ok {
		return nil
	}
	switch name.Addr.Family {
	case unix.AF_INET:
		raw := (*unix.RawSockaddrInet4)(unsafe.Pointer(name))
		p := (*[2]byte)(unsafe.Pointer(&raw.Port))
		return &unix.SockaddrInet4{Port: int(p[0])<<8 | int(p[1]), Addr: raw.Addr}
	case unix.AF_INET6:
		raw := (*unix.RawSockaddrInet6)(unsafe.Pointer(name))
		p := (*[2]byte)(unsafe.Pointer(&raw.Port))
		return &unix.SockaddrInet6{Port: int(p[0])<<8 | int(p[1]), ZoneId: raw.Scope_id, Addr: raw.Addr}
	}
	return nil
}
