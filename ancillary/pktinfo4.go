//go:build darwin || linux

package ancillary

import (
	"encoding/binary"
	"math"
	"net/netip"

	"golang.org/x/sys/unix"
)

// Inet4PacketInfo is the IP_PKTINFO message (struct in_pktinfo) of Linux
// and macOS. Received (with IP_PKTINFO set on the socket), IfIndex is the
// interface the datagram arrived on, Local the local address a reply should
// come from (ipi_spec_dst) and Dst the header's destination address, which
// differs from Local for broadcast and multicast. Sent, a non-zero Local is
// the source address and a non-zero IfIndex the outgoing interface; Dst is
// ignored by the kernel.
type Inet4PacketInfo struct {
	IfIndex int        // ipi_ifindex
	Local   netip.Addr // ipi_spec_dst
	Dst     netip.Addr // ipi_addr
}

// AppendInet4PacketInfo appends an IP_PKTINFO message carrying p to b and
// returns the extended slice; it allocates only when b lacks Space(12)
// bytes of capacity. A zero address is 0.0.0.0 and an IPv4-mapped IPv6
// address is unmapped. It returns b unchanged and an *ArgError for another
// IPv6 address or an IfIndex outside [0, MaxInt32].
func AppendInet4PacketInfo(b []byte, p Inet4PacketInfo) ([]byte, error) {
	if p.IfIndex < 0 || p.IfIndex > math.MaxInt32 {
		return b, &ArgError{Op: "AppendInet4PacketInfo", Reason: "interface index out of range"}
	}
	local, ok1 := as4(p.Local)
	dst, ok2 := as4(p.Dst)
	if !ok1 || !ok2 {
		return b, &ArgError{Op: "AppendInet4PacketInfo", Reason: "address is not IPv4"}
	}
	b, d := appendHeader(b, unix.IPPROTO_IP, unix.IP_PKTINFO, unix.SizeofInet4Pktinfo)
	binary.NativeEndian.PutUint32(d, uint32(p.IfIndex))
	copy(d[4:], local[:])
	copy(d[8:], dst[:])
	return b, nil
}

// Inet4PacketInfo decodes an IP_PKTINFO message. It returns a *DecodeError
// for another kind of message or data of the wrong size.
func (m Message) Inet4PacketInfo() (Inet4PacketInfo, error) {
	if err := m.expect("Inet4PacketInfo", unix.IPPROTO_IP, unix.IP_PKTINFO, unix.SizeofInet4Pktinfo, unix.SizeofInet4Pktinfo); err != nil {
		return Inet4PacketInfo{}, err
	}
	return Inet4PacketInfo{
		IfIndex: int(binary.NativeEndian.Uint32(m.Data)),
		Local:   netip.AddrFrom4([4]byte(m.Data[4:8])),
		Dst:     netip.AddrFrom4([4]byte(m.Data[8:12])),
	}, nil
}

// as4 returns a as four bytes: 0.0.0.0 for the zero Addr, the IPv4 address
// for an IPv4 or IPv4-mapped one; ok is false for other IPv6 addresses.
func as4(a netip.Addr) (b [4]byte, ok bool) {
	if !a.IsValid() {
		return b, true
	}
	a = a.Unmap()
	if !a.Is4() {
		return b, false
	}
	return a.As4(), true
}
