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

// TestSplice moves bytes from a socket into a pipe and out to another
// socket, and checks that an empty source's EAGAIN comes back bare.
func TestSplice(t *testing.T) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fds[0])
	defer unix.Close(fds[1])
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_NONBLOCK|unix.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	defer unix.Close(p[0])
	defer unix.Close(p[1])
	flags := unix.SPLICE_F_NONBLOCK | unix.SPLICE_F_MOVE
	if n, err := Splice(fds[1], p[1], 64, flags); n != 0 || err != unix.EAGAIN {
		t.Fatalf("Splice of an empty socket = %d, %v; want EAGAIN", n, err)
	}
	if _, err := Write(fds[0], []byte("spliced")); err != nil {
		t.Fatal(err)
	}
	if n, err := Splice(fds[1], p[1], 64, flags); n != 7 || err != nil {
		t.Fatalf("Splice into the pipe = %d, %v; want 7", n, err)
	}
	if n, err := Splice(p[0], fds[1], 64, flags); n != 7 || err != nil {
		t.Fatalf("Splice out of the pipe = %d, %v; want 7", n, err)
	}
	b := make([]byte, 16)
	if n, err := Read(fds[0], b); err != nil || string(b[:n]) != "spliced" {
		t.Fatalf("Read = %q, %v; want spliced", b[:n], err)
	}
}
