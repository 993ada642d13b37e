//go:build darwin || linux

package ancillary

import (
	"net/netip"

	"golang.org/x/sys/unix"
)

// ReceivedOn returns the local address a datagram arrived at and the index
// of the interface it came in on, from the first IP_PKTINFO (its
// ipi_spec_dst, the address a reply should come from, or ipi_addr where
// spec_dst is unspecified) or IPV6_PKTINFO
// message in oob; with AppendSource they let a server on a wildcard
// address answer from the address each peer used. The socket must have
// IP_PKTINFO or IPV6_RECVPKTINFO set. It returns ErrNotFound when oob holds
// neither message, a *ParseError for malformed data, or the decoder's
// *DecodeError.
func ReceivedOn(oob []byte) (local netip.Addr, ifIndex int, err error) {
	p := NewParser(oob)
	for m, ok := p.Next(); ok; m, ok = p.Next() {
		switch {
		case m.Is(unix.IPPROTO_IP, unix.IP_PKTINFO):
			pi, err := m.Inet4PacketInfo()
			// ipi_spec_dst can be 0.0.0.0 on a wildcard socket (seen on
			// Linux 6.18 over loopback); the header's destination is then
			// the address the datagram came to, unless it was a group or
			// broadcast address, which cannot be a source.
			if local := pi.Local; local.IsUnspecified() && pi.Dst.IsValid() && !pi.Dst.IsMulticast() && pi.Dst != netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
				return pi.Dst, pi.IfIndex, err
			}
			return pi.Local, pi.IfIndex, err
		case m.Is(unix.IPPROTO_IPV6, unix.IPV6_PKTINFO):
			pi, err := m.Inet6PacketInfo()
			return pi.Addr, pi.IfIndex, err
		}
	}
	if err := p.Err(); err != nil {
		return netip.Addr{}, 0, err
	}
	return netip.Addr{}, 0, ErrNotFound
}

// AppendSource appends to b the packet-info message that sends a datagram
// from local through interface ifIndex (0: any), and returns the extended
// slice: IP_PKTINFO for an IPv4 address, IPV6_PKTINFO for an IPv6 one
// (IPv4-mapped included, as a dual-stack IPv6 socket reports IPv4 peers).
// Pass what ReceivedOn returned to reply from the address a request came
// to. It allocates only when b lacks the capacity, and returns b unchanged
// and an *ArgError for the zero Addr or an ifIndex outside [0, MaxInt32].
func AppendSource(b []byte, local netip.Addr, ifIndex int) ([]byte, error) {
	switch {
	case local.Is4():
		return AppendInet4PacketInfo(b, Inet4PacketInfo{IfIndex: ifIndex, Local: local})
	case local.Is6():
		return AppendInet6PacketInfo(b, Inet6PacketInfo{Addr: local, IfIndex: ifIndex})
	}
	return b, &ArgError{Op: "AppendSource", Reason: "no source address"}
}
