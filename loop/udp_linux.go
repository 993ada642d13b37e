package loop

import (
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
	"github.com/sockloop/sockloop/sockopt"
)

// dgramState is a socket's batch: datagrams received with one recvmmsg and
// the replies to them, sent with one sendmmsg when the batch is served.
type dgramState struct {
	cur  int  // index of the datagram being served, -1 outside OnTraffic
	gro  bool // the kernel may coalesce received datagrams
	gso  bool // replies of one size to one peer may leave as one send
	in   mmsgBatch
	out  mmsgBatch
	data []byte // receive slab: one maxDatagram slot per message
	oobs []byte // receive control slab
	// Replies: payloads and control data appended, iovecs built at flush.
	outData []byte
	outOOB  []byte
	outEnds []int  // end offsets of each reply's payload and control data
	sendOOB []byte // control data of the messages as sent (with UDP_SEGMENT)
	sendEnd []int  // for each message sent: end of its replies and of its control data
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
	d := c.dg
	d.in, d.out = newMmsgBatch(n), newMmsgBatch(n)
	d.data = make([]byte, n*maxDatagram)
	d.cur = -1
	if c.l.eng.cfg.ancillary || d.gro {
		d.oobs = make([]byte, n*oobSpace())
	}
}

// enableOffload turns on UDP GRO and checks for UDP GSO when the engine
// asks for them; a kernel without them leaves the socket as it was.
func (c *Conn) enableOffload() {
	if !c.l.eng.cfg.udpOffload {
		return
	}
	c.dg.gro = sockopt.SetUDPGRO(c.fd, true) == nil
	c.dg.gso = sockopt.SetUDPSegment(c.fd, 0) == nil
}

// groSegment returns the segment size of a coalesced buffer, 0 if none.
func groSegment(oob []byte) int {
	if len(oob) == 0 {
		return 0
	}
	for m, err := range ancillary.Messages(oob) {
		if err != nil {
			return 0
		}
		if m.Is(unix.SOL_UDP, unix.UDP_GRO) {
			if n, err := m.GROSegmentSize(); err == nil {
				return n
			}
		}
	}
	return 0
}

// recvBatch reads up to batchSize datagrams with one recvmmsg.
func (c *Conn) recvBatch() (int, error) {
	d := c.dg
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
	d := c.dg
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
	d := c.dg
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
		return 0, errNoDatagram(c.network())
	}
	d := c.dg
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

// flushReplies sends the queued replies with sendmmsg. With UDP GSO,
// consecutive replies to one peer, of one size (the last may be shorter),
// leave as one message the kernel splits. A datagram the kernel refuses (a
// full send buffer, an unreachable peer) is dropped, as UDP drops it
// anywhere else on the path.
func (c *Conn) flushReplies() {
	d := c.dg
	count := len(d.outEnds) / 2
	if count == 0 {
		return
	}
	msgs := c.groupReplies(count)
	dataStart, start := 0, 0
	for k := range msgs {
		end, oobEnd := d.sendEnd[2*k], d.sendEnd[2*k+1]
		dataEnd := d.outEnds[2*(end-1)]
		oobStart := 0
		if k > 0 {
			oobStart = d.sendEnd[2*k-1]
		}
		m := &d.out.msgs[k]
		m.Hdr = unix.Msghdr{Name: (*byte)(unsafe.Pointer(&d.out.names[start])), Namelen: d.out.msgs[start].Hdr.Namelen, Iov: &d.out.iovs[k], Iovlen: 1}
		d.out.iovs[k].Base = nil
		if dataEnd > dataStart {
			d.out.iovs[k].Base = &d.outData[dataStart]
		}
		d.out.iovs[k].SetLen(dataEnd - dataStart)
		if oobEnd > oobStart {
			m.Hdr.Control = &d.sendOOB[oobStart]
			m.Hdr.SetControllen(oobEnd - oobStart)
		}
		dataStart, start = dataEnd, end
	}
	for sent := 0; sent < msgs; {
		r, _, errno := unix.Syscall6(unix.SYS_SENDMMSG, uintptr(c.fd), uintptr(unsafe.Pointer(&d.out.msgs[sent])), uintptr(msgs-sent), unix.MSG_DONTWAIT|unix.MSG_NOSIGNAL, 0, 0)
		switch {
		case errno == unix.EINTR:
			continue
		case errno != 0:
			sent++ // the message at the head failed: drop it and go on
		default:
			sent += int(r)
		}
	}
	clear(d.out.iovs[:msgs])
	d.outData, d.outOOB, d.outEnds = d.outData[:0], d.outOOB[:0], d.outEnds[:0]
	d.sendOOB, d.sendEnd = d.sendOOB[:0], d.sendEnd[:0]
}

// gsoMaxSegments and gsoMaxBytes keep a segmented send within what every
// kernel with UDP GSO accepts.
const (
	gsoMaxSegments = 64
	gsoMaxBytes    = 65000
)

// groupReplies decides which replies leave together and builds each
// message's control data into sendOOB; it returns the number of messages.
// Message k covers replies sendEnd[2k-2] (or 0) up to sendEnd[2k].
func (c *Conn) groupReplies(count int) int {
	d := c.dg
	msgs := 0
	for i := 0; i < count; {
		start, size := i, c.replyLen(i)
		total := size
		i++
		for d.gso && i < count && i-start < gsoMaxSegments && size > 0 && c.samePeer(start, i) {
			n := c.replyLen(i)
			if n > size || total+n > gsoMaxBytes || c.replyLen(i-1) < size {
				break
			}
			total += n
			i++
		}
		d.sendOOB = append(d.sendOOB, c.replyOOB(start)...)
		if i-start > 1 {
			d.sendOOB = ancillary.AppendUDPSegment(d.sendOOB, uint16(size))
		}
		d.sendEnd = append(d.sendEnd, i, len(d.sendOOB))
		msgs++
	}
	return msgs
}

// replyLen, replyOOB and samePeer read the queued replies.
func (c *Conn) replyLen(i int) int {
	start := 0
	if i > 0 {
		start = c.dg.outEnds[2*i-2]
	}
	return c.dg.outEnds[2*i] - start
}

func (c *Conn) replyOOB(i int) []byte {
	start := 0
	if i > 0 {
		start = c.dg.outEnds[2*i-1]
	}
	return c.dg.outOOB[start:c.dg.outEnds[2*i+1]]
}

func (c *Conn) samePeer(i, j int) bool {
	d := c.dg
	if d.out.msgs[i].Hdr.Namelen != d.out.msgs[j].Hdr.Namelen || string(c.replyOOB(i)) != string(c.replyOOB(j)) {
		return false
	}
	n := int(d.out.msgs[i].Hdr.Namelen)
	a := (*[unix.SizeofSockaddrAny]byte)(unsafe.Pointer(&d.out.names[i]))
	b := (*[unix.SizeofSockaddrAny]byte)(unsafe.Pointer(&d.out.names[j]))
	return string(a[:n]) == string(b[:n])
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
