package loop

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// BenchmarkSysRead compares the loop's raw read(2) with one that tells the
// scheduler about the call, on an empty non-blocking socket (EAGAIN): the
// difference is what every read and write of the loop saves.
func BenchmarkSysRead(b *testing.B) {
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer unix.Close(pair[0])
	defer unix.Close(pair[1])
	buf := make([]byte, 64)
	b.Run("raw", func(b *testing.B) {
		for b.Loop() {
			if _, err := sysRead(pair[0], buf); err != unix.EAGAIN {
				b.Fatal(err)
			}
		}
	})
	b.Run("syscall", func(b *testing.B) {
		for b.Loop() {
			_, _, errno := unix.Syscall(unix.SYS_READ, uintptr(pair[0]), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
			if errno != unix.EAGAIN {
				b.Fatal(errno)
			}
		}
	})
}

func TestSysReadReadsAndReportsErrors(t *testing.T) {
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(pair[1])
	buf := make([]byte, 8)
	if n, err := sysRead(pair[0], buf); n != 0 || err != unix.EAGAIN {
		t.Fatalf("read of an empty socket = %d, %v; want 0, EAGAIN", n, err)
	}
	unix.Write(pair[1], []byte("hello"))
	if n, err := sysRead(pair[0], buf); n != 5 || err != nil || string(buf[:5]) != "hello" {
		t.Fatalf("read = %d, %v, %q; want 5, nil, hello", n, err, buf[:n])
	}
	if n, err := sysRead(pair[0], nil); n != 0 || err != nil {
		t.Fatalf("empty read = %d, %v; want 0, nil", n, err)
	}
	unix.Close(pair[0])
	if _, err := sysRead(pair[0], buf); err != unix.EBADF {
		t.Fatalf("read of a closed descriptor: %v, want EBADF", err)
	}
}
