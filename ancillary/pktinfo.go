//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ancillary

import (
	"encoding/binary"
	"math"
	"net/netip"

	"golang.org/x/sys/unix"
)

// Inet6PacketInfo is the IPV6_PKTINFO message (struct in6_pktinfo).
// Received (with IPV6_RECVPKTINFO set), Addr is the datagram's destination
// address and IfIndex the interface it arrived on: send a reply with the
// same values to answer from the address the peer used. Sent, a non-zero
// Addr is the source address and a non-zero IfIndex the outgoing interface.
type Inet6PacketInfo struct {
	Addr    netip.Addr // ipi6_addr; decoded as a plain 16-byte address, no zone
	IfIndex int        // ipi6_ifindex
}

// AppendInet6PacketInfo appends an IPV6_PKTINFO message carrying p to b and
// returns the extended slice; it allocates only when b lacks Space(20) bytes
// of capacity. The zero Addr is "::" (let the kernel choose); an IPv4 Addr
// is sent IPv4-mapped; a zone is ignored (IfIndex selects the interface).
// It returns b unchanged and an *ArgError for IfIndex outside
// [0, MaxInt32].
func AppendInet6PacketInfo(b []byte, p Inet6PacketInfo) ([]byte, error) {
	if p.IfIndex < 0 || p.IfIndex > math.MaxInt32 {
		return b, &ArgError{Op: "AppendInet6PacketInfo", Reason: "interface index out of range"}
	}
	var a [16]byte
	if p.Addr.IsValid() {
		a = p.Addr.As16()
	}
	b, d := appendHeader(b, unix.IPPROTO_IPV6, unix.IPV6_PKTINFO, unix.SizeofInet6Pktinfo)
	copy(d, a[:])
	binary.NativeEndian.PutUint32(d[16:], uint32(p.IfIndex))
	return b, nil
}

// Inet6PacketInfo decodes an IPV6_PKTINFO message. It returns a
// *DecodeError for another kind of message or data of the wrong size.
func (m Message) Inet6PacketInfo() (Inet6PacketInfo, error) {
	if err := m.expect("Inet6PacketInfo", unix.IPPROTO_IPV6, unix.IPV6_PKTINFO, unix.SizeofInet6Pktinfo, unix.SizeofInet6Pktinfo); err != nil {
		return Inet6PacketInfo{}, err
	}
	return Inet6PacketInfo{
		Addr:    netip.AddrFrom16([16]byte(m.Data[:16])),
		IfIndex: int(binary.NativeEndian.Uint32(m.Data[16:])),
	}, nil
}
