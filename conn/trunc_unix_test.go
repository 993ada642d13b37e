//go:build unix

package conn

import (
	"bytes"
	"testing"
)

// TestRecvTruncatedDatagram: with MSG_TRUNC a datagram socket reports the
// datagram's whole length; Recv and RecvFrom return that many bytes (the
// received ones, then zeros), as CPython's recv and recvfrom, RecvMsg keeps
// its buffer's size with MSG_TRUNC in the flags, as CPython's recvmsg, and
// none of them panics.
func TestRecvTruncatedDatagram(t *testing.T) {
	a, b, err := Socketpair(AF_UNIX, SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	want := append([]byte("0123"), make([]byte, 6)...)
	for _, recv := range []struct {
		name string
		call func() ([]byte, error)
	}{
		{"recv", func() ([]byte, error) { return b.Recv(4, MSG_TRUNC) }},
		{"recv peek", func() ([]byte, error) {
			got, err := b.Recv(4, MSG_PEEK|MSG_TRUNC)
			b.Recv(16)
			return got, err
		}},
		{"recvfrom", func() ([]byte, error) { got, _, err := b.RecvFrom(4, MSG_TRUNC); return got, err }},
	} {
		if _, err := a.Send([]byte("0123456789")); err != nil {
			t.Fatal(err)
		}
		if got, err := recv.call(); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s(4, MSG_TRUNC) of 10 bytes = %q, %v; want %q", recv.name, got, err, want)
		}
	}
	if _, err := a.Send([]byte("0123456789")); err != nil {
		t.Fatal(err)
	}
	data, _, flags, _, err := b.RecvMsg(4, 0, MSG_TRUNC)
	if err != nil || string(data) != "0123" || flags&MSG_TRUNC == 0 {
		t.Errorf("RecvMsg(4, 0, MSG_TRUNC) of 10 bytes = %q, flags %v, %v; want %q with MSG_TRUNC", data, flags, err, "0123")
	}
}
