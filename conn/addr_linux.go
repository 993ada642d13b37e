package conn

import (
	"encoding/binary"
	"net"
	"strconv"

	"golang.org/x/sys/unix"
)

// abstractNames: Linux has abstract AF_UNIX names, whose sun_path begins
// with a NUL.
const abstractNames = true

// PacketAddr is an AF_PACKET (link-layer) address.
type PacketAddr struct {
	Protocol uint16 // Ethernet protocol, host byte order (ETH_P_*)
	Ifindex  int
	Hatype   uint16
	Pkttype  uint8
	Addr     net.HardwareAddr
}

// NetlinkAddr is an AF_NETLINK address: a port id and multicast groups.
type NetlinkAddr struct {
	Pid    uint32
	Groups uint32
}

// VSockAddr is an AF_VSOCK address: a context id and a port.
type VSockAddr struct {
	CID  uint32
	Port uint32
}

// CANAddr is an AF_CAN address: an interface index (0 for all interfaces).
type CANAddr struct {
	Ifindex int
}

// ALGAddr is an AF_ALG address: an algorithm type ("hash", "skcipher") and
// name ("sha256").
type ALGAddr struct {
	Type string
	Name string
}

// Family returns AF_PACKET.
func (a PacketAddr) Family() Family { return AF_PACKET }

// Network returns "packet".
func (a PacketAddr) Network() string { return "packet" }

// String returns "ifindex/proto/hwaddr".
func (a PacketAddr) String() string {
	return strconv.Itoa(a.Ifindex) + "/0x" + strconv.FormatUint(uint64(a.Protocol), 16) + "/" + a.Addr.String()
}

func (a PacketAddr) sockaddr() (unix.Sockaddr, error) {
	if len(a.Addr) > 8 {
		return nil, addrErr("AF_PACKET hardware address longer than 8 bytes", a.Addr.String())
	}
	sa := &unix.SockaddrLinklayer{Protocol: htons(a.Protocol), Ifindex: a.Ifindex, Hatype: a.Hatype, Pkttype: a.Pkttype, Halen: uint8(len(a.Addr))}
	copy(sa.Addr[:], a.Addr)
	return sa, nil
}

// Family returns AF_NETLINK.
func (a NetlinkAddr) Family() Family { return AF_NETLINK }

// Network returns "netlink".
func (a NetlinkAddr) Network() string { return "netlink" }

// String returns "pid/groups".
func (a NetlinkAddr) String() string {
	return strconv.FormatUint(uint64(a.Pid), 10) + "/" + strconv.FormatUint(uint64(a.Groups), 10)
}

func (a NetlinkAddr) sockaddr() (unix.Sockaddr, error) {
	return &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Pid: a.Pid, Groups: a.Groups}, nil
}

// Family returns AF_VSOCK.
func (a VSockAddr) Family() Family { return AF_VSOCK }

// Network returns "vsock".
func (a VSockAddr) Network() string { return "vsock" }

// String returns "cid:port".
func (a VSockAddr) String() string {
	return strconv.FormatUint(uint64(a.CID), 10) + ":" + strconv.FormatUint(uint64(a.Port), 10)
}

func (a VSockAddr) sockaddr() (unix.Sockaddr, error) {
	return &unix.SockaddrVM{CID: a.CID, Port: a.Port}, nil
}

// Family returns AF_CAN.
func (a CANAddr) Family() Family { return AF_CAN }

// Network returns "can".
func (a CANAddr) Network() string { return "can" }

// String returns the interface index.
func (a CANAddr) String() string { return strconv.Itoa(a.Ifindex) }

func (a CANAddr) sockaddr() (unix.Sockaddr, error) {
	if a.Ifindex < 0 {
		return nil, addrErr("negative interface index", a.String())
	}
	return &unix.SockaddrCAN{Ifindex: a.Ifindex}, nil
}

// Family returns AF_ALG.
func (a ALGAddr) Family() Family { return AF_ALG }

// Network returns "alg".
func (a ALGAddr) Network() string { return "alg" }

// String returns "type/name".
func (a ALGAddr) String() string { return a.Type + "/" + a.Name }

func (a ALGAddr) sockaddr() (unix.Sockaddr, error) {
	if len(a.Type) >= 14 || len(a.Name) >= 64 {
		return nil, addrErr("AF_ALG type or name too long", a.String())
	}
	return &unix.SockaddrALG{Type: a.Type, Name: a.Name}, nil
}

func htons(v uint16) uint16 {
	var b [2]byte
	binary.BigEndian.PutUint16(b[:], v)
	return binary.NativeEndian.Uint16(b[:])
}

// decodeOSAddr decodes the Linux-only families.
func decodeOSAddr(sa unix.Sockaddr) Addr {
	switch sa := sa.(type) {
	case *unix.SockaddrLinklayer:
		hw := make(net.HardwareAddr, sa.Halen)
		copy(hw, sa.Addr[:])
		return PacketAddr{Protocol: htons(sa.Protocol), Ifindex: sa.Ifindex, Hatype: sa.Hatype, Pkttype: sa.Pkttype, Addr: hw}
	case *unix.SockaddrNetlink:
		return NetlinkAddr{Pid: sa.Pid, Groups: sa.Groups}
	case *unix.SockaddrVM:
		return VSockAddr{CID: sa.CID, Port: sa.Port}
	case *unix.SockaddrCAN:
		return CANAddr{Ifindex: sa.Ifindex}
	}
	return nil
}
