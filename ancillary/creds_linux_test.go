package ancillary_test

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
)

// findMessage returns the first message of the given level and type in oob.
func findMessage(t *testing.T, oob []byte, level, typ int) ancillary.Message {
	t.Helper()
	for m, err := range ancillary.Messages(oob) {
		if err != nil {
			t.Fatal(err)
		}
		if m.Is(level, typ) {
			return m
		}
	}
	t.Fatalf("no message of level %d type %d in %x", level, typ, oob)
	return ancillary.Message{}
}

func self() ancillary.Credentials {
	return ancillary.Credentials{PID: int32(unix.Getpid()), UID: uint32(unix.Getuid()), GID: uint32(unix.Getgid())}
}

func TestCredentials(t *testing.T) {
	tests := []struct {
		name string
		oob  func(t *testing.T) []byte
	}{
		{name: "implicit with SO_PASSCRED", oob: func(*testing.T) []byte { return nil }},
		{name: "explicit", oob: func(*testing.T) []byte { return ancillary.AppendCredentials(nil, self()) }},
		{name: "explicit with rights", oob: func(t *testing.T) []byte {
			b := ancillary.AppendCredentials(nil, self())
			b, err := ancillary.AppendRights(b, 0)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := socketpair(t, unix.SOCK_DGRAM)
			if err := unix.SetsockoptInt(b, unix.SOL_SOCKET, unix.SO_PASSCRED, 1); err != nil {
				t.Fatalf("SO_PASSCRED: %v", err)
			}
			if err := unix.Sendmsg(a, []byte("c"), tt.oob(t), nil, 0); err != nil {
				t.Fatalf("sendmsg: %v", err)
			}
			got := recvmsg(t, b, mustSpace(t, unix.SizeofUcred)+mustSpace(t, 4))
			fds, _, err := ancillary.TakeRights(nil, got.oob, got.flags, 1)
			if err != nil {
				t.Fatal(err)
			}
			closeAll(t, fds)
			c, err := findMessage(t, got.oob, unix.SOL_SOCKET, unix.SCM_CREDENTIALS).Credentials()
			if err != nil || c != self() {
				t.Fatalf("Credentials = %+v, %v; want %+v", c, err, self())
			}
		})
	}
}
