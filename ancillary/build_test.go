//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ancillary_test

import (
	"bytes"
	"errors"
	"math"
	"net/netip"
	"slices"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
)

// only parses b and returns its one message.
func only(t *testing.T, b []byte) ancillary.Message {
	t.Helper()
	ms, err := collect(b)
	if err != nil || len(ms) != 1 {
		t.Fatalf("parsed %d messages, err %v; want one", len(ms), err)
	}
	return ms[0]
}

func TestAppendLayout(t *testing.T) {
	prefix := []byte("keep")
	b := append(make([]byte, 0, 64), prefix...)
	b = append(b, bytes.Repeat([]byte{0xff}, 60)...)[:len(prefix)] // dirty spare capacity
	b, err := ancillary.Append(b, 11, 22, []byte("xyz"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, prefix) {
		t.Fatalf("Append overwrote the prefix: %q", b[:4])
	}
	if want := len(prefix) + mustSpace(t, 3); len(b) != want {
		t.Fatalf("len = %d, want prefix + Space(3) = %d", len(b), want)
	}
	m := only(t, b[len(prefix):])
	if m.Level != 11 || m.Type != 22 || string(m.Data) != "xyz" {
		t.Fatalf("got %+v", m)
	}
	if pad := b[len(prefix)+mustLen(t, 3):]; slices.ContainsFunc(pad, func(c byte) bool { return c != 0 }) {
		t.Fatalf("padding not zeroed: %x", pad)
	}
}

func TestAppendInvalid(t *testing.T) {
	var big int64 = math.MaxInt32 + 1
	tests := []struct {
		name string
		wide bool // needs a 64-bit int
		f    func() ([]byte, error)
		want error
	}{
		{name: "level above int32", wide: true, want: ancillary.ErrInvalid,
			f: func() ([]byte, error) { return ancillary.Append([]byte("x"), int(big), 1, nil) }},
		{name: "type below int32", wide: true, want: ancillary.ErrInvalid,
			f: func() ([]byte, error) { return ancillary.Append([]byte("x"), 1, int(-big-1), nil) }},
		{name: "fd above int32", wide: true, want: ancillary.ErrInvalid,
			f: func() ([]byte, error) { return ancillary.AppendRights([]byte("x"), int(big)) }},
		{name: "negative fd", want: ancillary.ErrInvalid,
			f: func() ([]byte, error) { return ancillary.AppendRights([]byte("x"), 0, -1) }},
		{name: "negative ifindex v6", want: ancillary.ErrInvalid,
			f: func() ([]byte, error) {
				return ancillary.AppendInet6PacketInfo([]byte("x"), ancillary.Inet6PacketInfo{IfIndex: -1})
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.wide && unsafe.Sizeof(0) < 8 {
				t.Skip("needs a 64-bit int")
			}
			b, err := tt.f()
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var ae *ancillary.ArgError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %T, want *ArgError", err)
			}
			if string(b) != "x" {
				t.Fatalf("buffer changed to %q on error", b)
			}
		})
	}
}

func TestRightsRoundTrip(t *testing.T) {
	fds := []int{0, 1, 2, 1000, math.MaxInt32}
	b, err := ancillary.AppendRights(nil, fds...)
	if err != nil {
		t.Fatal(err)
	}
	m := only(t, b)
	if !m.IsRights() || m.NumRights() != len(fds) || len(m.Data) != 4*len(fds) {
		t.Fatalf("got %+v", m)
	}
	got, err := m.Rights([]int{-7})
	if err != nil || !slices.Equal(got, append([]int{-7}, fds...)) {
		t.Fatalf("Rights = %v, %v; want %v appended to [-7]", got, err, fds)
	}
	empty, err := ancillary.AppendRights(nil)
	if err != nil || len(empty) != mustSpace(t, 0) {
		t.Fatalf("AppendRights() = %d bytes, %v", len(empty), err)
	}
}

func TestInet6PacketInfoRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   ancillary.Inet6PacketInfo
		want ancillary.Inet6PacketInfo
	}{
		{name: "loopback", in: ancillary.Inet6PacketInfo{Addr: netip.IPv6Loopback(), IfIndex: 1},
			want: ancillary.Inet6PacketInfo{Addr: netip.IPv6Loopback(), IfIndex: 1}},
		{name: "zero", in: ancillary.Inet6PacketInfo{},
			want: ancillary.Inet6PacketInfo{Addr: netip.IPv6Unspecified()}},
		{name: "v4 mapped", in: ancillary.Inet6PacketInfo{Addr: netip.MustParseAddr("127.0.0.1")},
			want: ancillary.Inet6PacketInfo{Addr: netip.MustParseAddr("::ffff:127.0.0.1")}},
		{name: "zone dropped", in: ancillary.Inet6PacketInfo{Addr: netip.MustParseAddr("fe80::1%lo"), IfIndex: 3},
			want: ancillary.Inet6PacketInfo{Addr: netip.MustParseAddr("fe80::1"), IfIndex: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ancillary.AppendInet6PacketInfo(nil, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := only(t, b).Inet6PacketInfo()
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestIPv6IntsRoundTrip(t *testing.T) {
	b := ancillary.AppendHopLimit(nil, 255)
	b = ancillary.AppendTrafficClass(b, 0xb8)
	ms, err := collect(b)
	if err != nil || len(ms) != 2 {
		t.Fatalf("parsed %d messages, %v", len(ms), err)
	}
	if v, err := ms[0].HopLimit(); v != 255 || err != nil {
		t.Errorf("HopLimit = %d, %v; want 255", v, err)
	}
	if v, err := ms[1].TrafficClass(); v != 0xb8 || err != nil {
		t.Errorf("TrafficClass = %d, %v; want 0xb8", v, err)
	}
}

// timestampMessage forges an SCM_TIMESTAMP message from a timeval.
func timestampMessage(t *testing.T, tv unix.Timeval) ancillary.Message {
	t.Helper()
	b, err := ancillary.Append(nil, unix.SOL_SOCKET, unix.SCM_TIMESTAMP,
		unsafe.Slice((*byte)(unsafe.Pointer(&tv)), unsafe.Sizeof(tv)))
	if err != nil {
		t.Fatal(err)
	}
	return only(t, b)
}

func TestTimestampTimeval(t *testing.T) {
	want := time.Unix(1700000000, 123456000)
	got, err := timestampMessage(t, unix.NsecToTimeval(want.UnixNano())).Timestamp()
	if err != nil || !got.Equal(want) {
		t.Fatalf("Timestamp = %v, %v; want %v", got, err, want)
	}
	bad := unix.Timeval{Sec: 1}
	bad.Usec = 1000000
	if _, err := timestampMessage(t, bad).Timestamp(); !errors.Is(err, ancillary.ErrMalformed) {
		t.Fatalf("usec 1e6: err = %v, want ErrMalformed", err)
	}
	bad.Usec = -1
	if _, err := timestampMessage(t, bad).Timestamp(); !errors.Is(err, ancillary.ErrMalformed) {
		t.Fatalf("usec -1: err = %v, want ErrMalformed", err)
	}
}

// Every decoder refuses a message of another kind with ErrMismatch and a
// message of its kind with data of the wrong size with ErrMalformed.
func TestDecodeErrors(t *testing.T) {
	decoders := map[string]struct {
		level, typ int
		decode     func(ancillary.Message) error
	}{
		"Rights": {level: unix.SOL_SOCKET, typ: unix.SCM_RIGHTS, decode: func(m ancillary.Message) error {
			_, err := m.Rights(nil)
			return err
		}},
		"Inet6PacketInfo": {level: unix.IPPROTO_IPV6, typ: unix.IPV6_PKTINFO, decode: func(m ancillary.Message) error {
			_, err := m.Inet6PacketInfo()
			return err
		}},
		"HopLimit": {level: unix.IPPROTO_IPV6, typ: unix.IPV6_HOPLIMIT, decode: func(m ancillary.Message) error {
			_, err := m.HopLimit()
			return err
		}},
		"TrafficClass": {level: unix.IPPROTO_IPV6, typ: unix.IPV6_TCLASS, decode: func(m ancillary.Message) error {
			_, err := m.TrafficClass()
			return err
		}},
		"Timestamp": {level: unix.SOL_SOCKET, typ: unix.SCM_TIMESTAMP, decode: func(m ancillary.Message) error {
			_, err := m.Timestamp()
			return err
		}},
	}
	for name, d := range decoders {
		t.Run(name, func(t *testing.T) {
			other := ancillary.Message{Level: d.level + 1000, Type: d.typ, Data: make([]byte, 4)}
			err := d.decode(other)
			var de *ancillary.DecodeError
			if !errors.Is(err, ancillary.ErrMismatch) || !errors.As(err, &de) || de.Op != name {
				t.Errorf("other level: err = %v, want a *DecodeError for %s matching ErrMismatch", err, name)
			}
			for _, n := range []int{0, 3, 5, 13, 17} {
				m := ancillary.Message{Level: d.level, Type: d.typ, Data: make([]byte, n)}
				if n == 0 && name == "Rights" {
					continue // no fds is a valid SCM_RIGHTS message
				}
				if err := d.decode(m); !errors.Is(err, ancillary.ErrMalformed) {
					t.Errorf("%d data bytes: err = %v, want ErrMalformed", n, err)
				}
			}
		})
	}
	neg := ancillary.Message{Level: unix.SOL_SOCKET, Type: unix.SCM_RIGHTS, Data: []byte{0xff, 0xff, 0xff, 0xff}}
	if fds, err := neg.Rights([]int{5}); !errors.Is(err, ancillary.ErrMalformed) || !slices.Equal(fds, []int{5}) {
		t.Errorf("negative fd: Rights = %v, %v; want [5], ErrMalformed", fds, err)
	}
}

// The header Append writes reads back through the platform's struct
// cmsghdr as x/sys/unix declares it.
func TestHeaderLayout(t *testing.T) {
	b, err := ancillary.Append(nil, -3, math.MaxInt32, []byte("12345"))
	if err != nil {
		t.Fatal(err)
	}
	var h unix.Cmsghdr
	copy(unsafe.Slice((*byte)(unsafe.Pointer(&h)), unsafe.Sizeof(h)), b)
	if uint64(h.Len) != uint64(mustLen(t, 5)) || h.Level != -3 || h.Type != math.MaxInt32 {
		t.Fatalf("header reads back as %+v", h)
	}
	if unsafe.Sizeof(h) != unix.SizeofCmsghdr || unsafe.Offsetof(h.Level) != unix.SizeofCmsghdr-8 {
		t.Fatalf("struct cmsghdr is not cmsg_len followed by two C ints")
	}
}
