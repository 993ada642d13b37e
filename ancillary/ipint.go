//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ancillary

import (
	"encoding/binary"

	"golang.org/x/sys/unix"
)

// AppendHopLimit appends an IPV6_HOPLIMIT message to b, setting the hop
// limit of the datagram it is sent with, and returns the extended slice; it
// allocates only when b lacks Space(4) bytes of capacity.
func AppendHopLimit(b []byte, hops uint8) []byte {
	return appendInt32(b, unix.IPPROTO_IPV6, unix.IPV6_HOPLIMIT, int32(hops))
}

// AppendTrafficClass appends an IPV6_TCLASS message to b, setting the
// traffic class of the datagram it is sent with, and returns the extended
// slice; it allocates only when b lacks Space(4) bytes of capacity.
func AppendTrafficClass(b []byte, tclass uint8) []byte {
	return appendInt32(b, unix.IPPROTO_IPV6, unix.IPV6_TCLASS, int32(tclass))
}

// HopLimit decodes an IPV6_HOPLIMIT message (received with
// IPV6_RECVHOPLIMIT set). It returns a *DecodeError for another kind of
// message or data that is not a C int.
func (m Message) HopLimit() (int, error) {
	return m.int32Data("HopLimit", unix.IPPROTO_IPV6, unix.IPV6_HOPLIMIT)
}

// TrafficClass decodes an IPV6_TCLASS message (received with
// IPV6_RECVTCLASS set). It returns a *DecodeError for another kind of
// message or data that is not a C int.
func (m Message) TrafficClass() (int, error) {
	return m.int32Data("TrafficClass", unix.IPPROTO_IPV6, unix.IPV6_TCLASS)
}

// TOS decodes the IPv4 type-of-service message received with IP_RECVTOS
// set (type IP_TOS on Linux, IP_RECVTOS on macOS and FreeBSD), one byte or
// a C int. It returns a *DecodeError for another kind of message, for data
// of another size, and always on systems that do not deliver it.
func (m Message) TOS() (int, error) {
	if !recvTOSSupported {
		return 0, m.decodeError("TOS", ErrMismatch)
	}
	return m.byteOrInt32Data("TOS", unix.IPPROTO_IP, ipRecvTOS)
}

// TTL decodes the IPv4 time-to-live message received with IP_RECVTTL set
// (type IP_TTL, a C int, on Linux; IP_RECVTTL, one byte, on macOS and the
// BSDs). It returns a *DecodeError for another kind of message or data of
// another size.
func (m Message) TTL() (int, error) {
	return m.byteOrInt32Data("TTL", unix.IPPROTO_IP, ipRecvTTL)
}

// appendInt32 appends a message carrying one C int.
func appendInt32(b []byte, level, typ int, v int32) []byte {
	b, d := appendHeader(b, level, typ, 4)
	binary.NativeEndian.PutUint32(d, uint32(v))
	return b
}

// int32Data decodes a message carrying one C int.
func (m Message) int32Data(op string, level, typ int) (int, error) {
	if err := m.expect(op, level, typ, 4, 4); err != nil {
		return 0, err
	}
	return int(int32(binary.NativeEndian.Uint32(m.Data))), nil
}

// byteOrInt32Data decodes a message carrying one byte or one C int.
func (m Message) byteOrInt32Data(op string, level, typ int) (int, error) {
	if err := m.expect(op, level, typ, 1, 4); err != nil {
		return 0, err
	}
	if len(m.Data) == 1 {
		return int(m.Data[0]), nil
	}
	return int(int32(binary.NativeEndian.Uint32(m.Data))), nil
}
