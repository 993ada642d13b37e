package ancillary_test

import (
	"slices"
	"testing"

	"golang.org/x/sys/unix"
)

// socketpair returns a connected AF_UNIX pair of the given type, closed at
// the end of the test.
func socketpair(t *testing.T, typ int) (a, b int) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, typ|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("socketpair: %v", err)
	}
	t.Cleanup(func() {
		unix.Close(fds[0])
		unix.Close(fds[1])
	})
	return fds[0], fds[1]
}

// received is what one recvmsg returned.
type received struct {
	data  []byte
	oob   []byte
	flags int
	from  unix.Sockaddr
}

// recvmsg receives one message with MSG_CMSG_CLOEXEC into a data buffer of
// 64 KiB and a control buffer of oobLen bytes.
func recvmsg(t *testing.T, fd, oobLen int) received {
	t.Helper()
	buf := make([]byte, 1<<16)
	oob := make([]byte, oobLen)
	n, oobn, flags, from, err := unix.Recvmsg(fd, buf, oob, unix.MSG_CMSG_CLOEXEC)
	if err != nil {
		t.Fatalf("recvmsg: %v", err)
	}
	return received{data: buf[:n], oob: oob[:oobn], flags: flags, from: from}
}

// newFDs returns the descriptors in after that are not in before.
func newFDs(before, after []int) []int {
	var fds []int
	for _, fd := range after {
		if !slices.Contains(before, fd) {
			fds = append(fds, fd)
		}
	}
	return fds
}

// mustOpenFDs lists the open descriptors or fails the test.
func mustOpenFDs(t *testing.T) []int {
	t.Helper()
	fds, err := openFDs()
	if err != nil {
		t.Fatalf("listing fds: %v", err)
	}
	return fds
}
