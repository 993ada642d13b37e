package ancillary

import (
	"encoding/binary"

	"golang.org/x/sys/unix"
)

// AppendUDPSegment appends a UDP_SEGMENT message to b and returns the
// extended slice; it allocates only when b lacks Space(2) bytes of capacity.
// Sent with one large buffer on a UDP socket, it asks the kernel (Linux 4.18
// and later) to split the buffer into datagrams of size bytes each (generic
// segmentation offload), the last one possibly shorter. Linux only.
func AppendUDPSegment(b []byte, size uint16) []byte {
	b, d := appendHeader(b, unix.SOL_UDP, unix.UDP_SEGMENT, 2)
	binary.NativeEndian.PutUint16(d, size)
	return b
}

// UDPSegmentSize decodes a UDP_SEGMENT message as AppendUDPSegment builds
// it. It returns a *DecodeError for another kind of message or data of
// another size.
func (m Message) UDPSegmentSize() (int, error) {
	if err := m.expect("UDPSegmentSize", unix.SOL_UDP, unix.UDP_SEGMENT, 2, 2); err != nil {
		return 0, err
	}
	return int(binary.NativeEndian.Uint16(m.Data)), nil
}

// GROSegmentSize decodes a UDP_GRO message: the size of the datagrams the
// kernel coalesced into the buffer received (Linux 5.0 and later, with the
// UDP_GRO socket option set); every segment but the last has this size. It
// returns a *DecodeError for another kind of message or data that is not a
// C int.
func (m Message) GROSegmentSize() (int, error) {
	return m.int32Data("GROSegmentSize", unix.SOL_UDP, unix.UDP_GRO)
}
