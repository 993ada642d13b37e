package ancillary_test

import (
	"errors"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
)

func TestInet4PacketInfoRoundTrip(t *testing.T) {
	tests := []struct {
		name    string
		in      ancillary.Inet4PacketInfo
		want    ancillary.Inet4PacketInfo
		wantErr error
	}{
		{name: "full", in: ancillary.Inet4PacketInfo{IfIndex: 2, Local: netip.MustParseAddr("10.0.0.1"), Dst: netip.MustParseAddr("10.0.0.255")},
			want: ancillary.Inet4PacketInfo{IfIndex: 2, Local: netip.MustParseAddr("10.0.0.1"), Dst: netip.MustParseAddr("10.0.0.255")}},
		{name: "zero", want: ancillary.Inet4PacketInfo{Local: netip.IPv4Unspecified(), Dst: netip.IPv4Unspecified()}},
		{name: "mapped unmapped", in: ancillary.Inet4PacketInfo{Local: netip.MustParseAddr("::ffff:127.0.0.2")},
			want: ancillary.Inet4PacketInfo{Local: netip.MustParseAddr("127.0.0.2"), Dst: netip.IPv4Unspecified()}},
		{name: "IPv6 local", in: ancillary.Inet4PacketInfo{Local: netip.IPv6Loopback()}, wantErr: ancillary.ErrInvalid},
		{name: "IPv6 dst", in: ancillary.Inet4PacketInfo{Dst: netip.IPv6Loopback()}, wantErr: ancillary.ErrInvalid},
		{name: "negative ifindex", in: ancillary.Inet4PacketInfo{IfIndex: -1}, wantErr: ancillary.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ancillary.AppendInet4PacketInfo([]byte("p"), tt.in)
			if tt.wantErr != nil {
				var ae *ancillary.ArgError
				if !errors.Is(err, tt.wantErr) || !errors.As(err, &ae) || string(b) != "p" {
					t.Fatalf("got %q, %v; want the buffer unchanged and an *ArgError", b, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := only(t, b[1:]).Inet4PacketInfo()
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestLinuxRoundTrips(t *testing.T) {
	c := ancillary.Credentials{PID: 1, UID: 1 << 31, GID: 7}
	if got, err := only(t, ancillary.AppendCredentials(nil, c)).Credentials(); got != c || err != nil {
		t.Errorf("Credentials = %+v, %v; want %+v", got, err, c)
	}
	if v, err := only(t, ancillary.AppendTOS(nil, 0xfc)).TOS(); v != 0xfc || err != nil {
		t.Errorf("TOS = %#x, %v; want 0xfc", v, err)
	}
	if v, err := only(t, ancillary.AppendTTL(nil, 1)).TTL(); v != 1 || err != nil {
		t.Errorf("TTL = %d, %v; want 1", v, err)
	}
	if v, err := only(t, ancillary.AppendUDPSegment(nil, 65535)).UDPSegmentSize(); v != 65535 || err != nil {
		t.Errorf("UDPSegmentSize = %d, %v; want 65535", v, err)
	}
	gro := mustAppend(t, unix.SOL_UDP, unix.UDP_GRO, fdBytes(1400))
	if v, err := only(t, gro).GROSegmentSize(); v != 1400 || err != nil {
		t.Errorf("GROSegmentSize = %d, %v; want 1400", v, err)
	}
	// Linux delivers the received TOS as one byte.
	tos := mustAppend(t, unix.IPPROTO_IP, unix.IP_TOS, []byte{0x10})
	if v, err := only(t, tos).TOS(); v != 0x10 || err != nil {
		t.Errorf("one-byte TOS = %#x, %v; want 0x10", v, err)
	}
}

// The Linux-only decoders refuse other kinds and wrong sizes.
func TestLinuxDecodeErrors(t *testing.T) {
	decoders := []struct {
		name       string
		level, typ int
		okSizes    []int
		decode     func(ancillary.Message) error
	}{
		{name: "Credentials", level: unix.SOL_SOCKET, typ: unix.SCM_CREDENTIALS, okSizes: []int{12}, decode: func(m ancillary.Message) error {
			_, err := m.Credentials()
			return err
		}},
		{name: "Inet4PacketInfo", level: unix.IPPROTO_IP, typ: unix.IP_PKTINFO, okSizes: []int{12}, decode: func(m ancillary.Message) error {
			_, err := m.Inet4PacketInfo()
			return err
		}},
		{name: "TOS", level: unix.IPPROTO_IP, typ: unix.IP_TOS, okSizes: []int{1, 4}, decode: func(m ancillary.Message) error {
			_, err := m.TOS()
			return err
		}},
		{name: "TTL", level: unix.IPPROTO_IP, typ: unix.IP_TTL, okSizes: []int{1, 4}, decode: func(m ancillary.Message) error {
			_, err := m.TTL()
			return err
		}},
		{name: "UDPSegmentSize", level: unix.SOL_UDP, typ: unix.UDP_SEGMENT, okSizes: []int{2}, decode: func(m ancillary.Message) error {
			_, err := m.UDPSegmentSize()
			return err
		}},
		{name: "GROSegmentSize", level: unix.SOL_UDP, typ: unix.UDP_GRO, okSizes: []int{4}, decode: func(m ancillary.Message) error {
			_, err := m.GROSegmentSize()
			return err
		}},
	}
	for _, d := range decoders {
		t.Run(d.name, func(t *testing.T) {
			for _, m := range []ancillary.Message{
				{Level: d.level, Type: d.typ + 1, Data: make([]byte, d.okSizes[0])},
				{Level: d.level + 1, Type: d.typ, Data: make([]byte, d.okSizes[0])},
			} {
				var de *ancillary.DecodeError
				if err := d.decode(m); !errors.Is(err, ancillary.ErrMismatch) || !errors.As(err, &de) || de.Op != d.name {
					t.Errorf("%d/%d: err = %v, want a *DecodeError for %s matching ErrMismatch", m.Level, m.Type, err, d.name)
				}
			}
			for n := range 21 {
				err := d.decode(ancillary.Message{Level: d.level, Type: d.typ, Data: make([]byte, n)})
				ok := false
				for _, s := range d.okSizes {
					ok = ok || s == n
				}
				if ok && err != nil || !ok && !errors.Is(err, ancillary.ErrMalformed) {
					t.Errorf("%d data bytes: err = %v", n, err)
				}
			}
		})
	}
}
