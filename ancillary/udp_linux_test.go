package ancillary_test

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
)

// gsoPayload is three full segments of segSize bytes and a short one.
const segSize = 100

var gsoPayload = bytes.Repeat([]byte("0123456789"), (3*segSize+40)/10)

// sendGSO sends gsoPayload with UDP_SEGMENT, skipping the test where the
// kernel lacks UDP GSO.
func sendGSO(t *testing.T, send int, to unix.Sockaddr) {
	t.Helper()
	oob := ancillary.AppendUDPSegment(nil, segSize)
	if size, err := only(t, oob).UDPSegmentSize(); size != segSize || err != nil {
		t.Fatalf("UDPSegmentSize = %d, %v", size, err)
	}
	err := unix.Sendmsg(send, gsoPayload, oob, to, 0)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOPROTOOPT) || errors.Is(err, unix.EIO) {
		t.Skipf("kernel refuses UDP_SEGMENT: %v", err)
	}
	if err != nil {
		t.Fatalf("sendmsg with UDP_SEGMENT: %v", err)
	}
}

// Without UDP_GRO the receiver sees the segments as separate datagrams.
func TestUDPSegment(t *testing.T) {
	recv, to := udpSocket(t, unix.AF_INET, netip.MustParseAddr("127.0.0.1"))
	send, _ := udpSocket(t, unix.AF_INET, netip.Addr{})
	sendGSO(t, send, to)
	var joined []byte
	for i, want := range []int{segSize, segSize, segSize, 40} {
		got := recvmsg(t, recv, 64)
		if len(got.data) != want {
			t.Fatalf("datagram %d has %d bytes, want %d", i, len(got.data), want)
		}
		joined = append(joined, got.data...)
	}
	if !bytes.Equal(joined, gsoPayload) {
		t.Fatal("segments do not join into the payload sent")
	}
}

// With UDP_GRO the receiver sees the segments coalesced, with their size.
func TestUDPGRO(t *testing.T) {
	recv, to := udpSocket(t, unix.AF_INET, netip.MustParseAddr("127.0.0.1"), [2]int{unix.SOL_UDP, unix.UDP_GRO})
	send, _ := udpSocket(t, unix.AF_INET, netip.Addr{})
	sendGSO(t, send, to)
	got := recvmsg(t, recv, 64)
	if len(got.data) == segSize && len(got.oob) == 0 {
		t.Skip("kernel delivered the GSO datagram segmented despite UDP_GRO")
	}
	if !bytes.Equal(got.data, gsoPayload) {
		t.Fatalf("received %d bytes, want the %d coalesced", len(got.data), len(gsoPayload))
	}
	size, err := findMessage(t, got.oob, unix.SOL_UDP, unix.UDP_GRO).GROSegmentSize()
	if err != nil || size != segSize {
		t.Fatalf("GROSegmentSize = %d, %v; want %d", size, err, segSize)
	}
}
