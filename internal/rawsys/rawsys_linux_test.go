package rawsys

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestRoundTrip sends and writes bytes through a socket pair and reads them
// back, and checks that the errno of a call on a full or empty non-blocking
// socket comes back bare, for the caller to classify.
func TestRoundTrip(t *testing.T) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fds[0])
	defer func() {
		if fds[1] >= 0 {
			unix.Close(fds[1])
		}
	}()
	b := make([]byte, 16)
	if n, err := Read(fds[1], b); n != 0 || err != unix.EAGAIN {
		t.Fatalf("Read of an empty socket = %d, %v; want EAGAIN", n, err)
	}
	if n, err := Write(fds[0], []byte("ping")); n != 4 || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if n, err := Send(fds[0], []byte("pong"), unix.MSG_NOSIGNAL); n != 4 || err != nil {
		t.Fatalf("Send = %d, %v", n, err)
	}
	if n, err := Read(fds[1], b); n != 8 || err != nil || string(b[:n]) != "pingpong" {
		t.Fatalf("Read = %d, %v, %q; want pingpong", n, err, b[:n])
	}
	unix.Close(fds[1])
	fds[1] = -1
	if _, err := Send(fds[0], []byte("x"), unix.MSG_NOSIGNAL); err != unix.EPIPE {
		t.Fatalf("Send to a closed peer: %v, want EPIPE", err)
	}
}
