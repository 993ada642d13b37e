package ancillary_test

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
)

// A datagram received with each timestamp option carries a timestamp of
// the matching type between the clock read before sending and the one
// after receiving (with a second of slack each side for clock steps).
func TestTimestamps(t *testing.T) {
	tests := []struct {
		name string
		opt  int
		typ  int
	}{
		{name: "SO_TIMESTAMP", opt: unix.SO_TIMESTAMP, typ: unix.SCM_TIMESTAMP},
		{name: "SO_TIMESTAMPNS", opt: unix.SO_TIMESTAMPNS, typ: unix.SCM_TIMESTAMPNS},
		{name: "SO_TIMESTAMP_NEW", opt: unix.SO_TIMESTAMP_NEW, typ: unix.SO_TIMESTAMP_NEW},
		{name: "SO_TIMESTAMPNS_NEW", opt: unix.SO_TIMESTAMPNS_NEW, typ: unix.SO_TIMESTAMPNS_NEW},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recv, to := udpSocket(t, unix.AF_INET, netip.MustParseAddr("127.0.0.1"), [2]int{unix.SOL_SOCKET, tt.opt})
			send, _ := udpSocket(t, unix.AF_INET, netip.Addr{})
			before := time.Now()
			if err := unix.Sendto(send, []byte("ts"), 0, to); err != nil {
				t.Fatalf("sendto: %v", err)
			}
			got := recvmsg(t, recv, 64)
			after := time.Now()
			m := findMessage(t, got.oob, unix.SOL_SOCKET, tt.typ)
			ts, err := m.Timestamp()
			if err != nil {
				t.Fatal(err)
			}
			if ts.Before(before.Add(-time.Second)) || ts.After(after.Add(time.Second)) {
				t.Fatalf("timestamp %v outside [%v, %v]", ts, before, after)
			}
		})
	}
}

// The 64-bit forms are range-checked without overflowing.
func TestTimestamp64Malformed(t *testing.T) {
	tests := []struct {
		name      string
		typ       int
		sec, frac uint64
		wantErr   bool
	}{
		{name: "usec ok", typ: unix.SO_TIMESTAMP_NEW, sec: 5, frac: 999999},
		{name: "nsec ok", typ: unix.SO_TIMESTAMPNS_NEW, sec: 5, frac: 999999999},
		{name: "usec 1e6", typ: unix.SO_TIMESTAMP_NEW, sec: 5, frac: 1000000, wantErr: true},
		{name: "usec huge", typ: unix.SO_TIMESTAMP_NEW, sec: 5, frac: 1 << 62, wantErr: true},
		{name: "nsec negative", typ: unix.SO_TIMESTAMPNS_NEW, sec: 5, frac: 1 << 63, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := binary.NativeEndian.AppendUint64(nil, tt.sec)
			data = binary.NativeEndian.AppendUint64(data, tt.frac)
			ts, err := only(t, mustAppend(t, unix.SOL_SOCKET, tt.typ, data)).Timestamp()
			if tt.wantErr {
				if !errors.Is(err, ancillary.ErrMalformed) {
					t.Fatalf("Timestamp = %v, %v; want ErrMalformed", ts, err)
				}
				return
			}
			if err != nil || ts.Unix() != int64(tt.sec) || ts.Nanosecond() == 0 {
				t.Fatalf("Timestamp = %v, %v", ts, err)
			}
		})
	}
}
