package loop

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// dgramState is the datagram just read.
type dgramState struct {
	data []byte
	rsa  windows.RawSockaddrAny // the destination of a reply, encoded
}

// recvBatch reads one datagram with a non-overlapped WSARecvFrom: Winsock has
// no recvmmsg, and the poller's peeking zero-byte receive said one waits.
// Control data (WithAncillary) needs WSARecvMsg and is not read yet.
func (c *Conn) recvBatch() (int, error) {
	l := c.l
	buf := windows.WSABuf{Len: uint32(len(l.readBuf)), Buf: &l.readBuf[0]}
	var rsa windows.RawSockaddrAny
	rlen := int32(unsafe.Sizeof(rsa))
	var n, flags uint32
	if err := windows.WSARecvFrom(handle(c.fd), &buf, 1, &n, &flags, &rsa, &rlen, nil, nil); err != nil {
		return 0, err
	}
	from, err := rsa.Sockaddr()
	if err != nil {
		return 0, err
	}
	c.remote, c.dg.data = from, l.readBuf[:n]
	return 1, nil
}

func (c *Conn) datagram(int) ([]byte, []byte) { return c.dg.data, nil }

func (c *Conn) endBatch() { c.remote, c.dg.data = nil, nil }

// sendDatagrams sends bufs as one datagram to the current sender at once,
// with a non-overlapped WSASendTo.
func (c *Conn) sendDatagrams(bufs ...[]byte) (int, error) {
	if c.remote == nil {
		return 0, errNoDatagram(c.network())
	}
	tolen, err := encodeSockaddr(c.remote, &c.dg.rsa)
	if err != nil {
		return 0, datagramWriteError(c, "wsasendto", err)
	}
	iov := c.l.iov
	n := 0
	for _, b := range bufs {
		if len(b) > 0 && n < len(iov) {
			iov[n] = windows.WSABuf{Len: uint32(len(b)), Buf: &b[0]}
			n++
		}
	}
	var empty byte
	if n == 0 { // an empty datagram
		iov[0] = windows.WSABuf{Buf: &empty}
		n = 1
	}
	var sent uint32
	err = windows.WSASendTo(handle(c.fd), &iov[0], uint32(n), &sent, 0, &c.dg.rsa, tolen, nil, nil)
	clear(iov[:n])
	if err != nil {
		return 0, datagramWriteError(c, "wsasendto", err)
	}
	return int(sent), nil
}

func (c *Conn) peerSockaddr() sockaddr { return c.remote }

// groSegment is 0: UDP GRO is Linux's.
func groSegment([]byte) int { return 0 }

func (c *Conn) enableOffload() {}

// encodeSockaddr writes sa into rsa, the form WSASendTo takes, and returns
// its length. (x/sys's WSASendto converts a smaller struct to a
// RawSockaddrAny pointer, which the race detector's checkptr refuses.)
func encodeSockaddr(sa sockaddr, rsa *windows.RawSockaddrAny) (int32, error) {
	*rsa = windows.RawSockaddrAny{}
	switch a := sa.(type) {
	case *windows.SockaddrInet4:
		r := (*windows.RawSockaddrInet4)(unsafe.Pointer(rsa))
		r.Family = windows.AF_INET
		r.Port = bigEndian16(a.Port)
		r.Addr = a.Addr
		return int32(unsafe.Sizeof(*r)), nil
	case *windows.SockaddrInet6:
		r := (*windows.RawSockaddrInet6)(unsafe.Pointer(rsa))
		r.Family = windows.AF_INET6
		r.Port = bigEndian16(a.Port)
		r.Addr = a.Addr
		r.Scope_id = a.ZoneId
		return int32(unsafe.Sizeof(*r)), nil
	}
	return 0, windows.WSAEAFNOSUPPORT
}

// bigEndian16 puts a port in network byte order, as sockaddr_in holds it.
func bigEndian16(port int) uint16 {
	var b [2]byte
	b[0], b[1] = byte(port>>8), byte(port)
	return *(*uint16)(unsafe.Pointer(&b[0]))
}
