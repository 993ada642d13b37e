package conn

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// TestSCMRightsTruncated sends three descriptors and receives with room
// for one: MSG_CTRUNC is set and exactly one descriptor arrives (Linux).
func TestSCMRightsTruncated(t *testing.T) {
	a, b := mustPair(t, AF_UNIX, SOCK_DGRAM)
	f, err := os.Open(os.DevNull)
	must(t, err)
	defer f.Close()
	fd := int(f.Fd())
	before := countFDs()
	if _, err := a.SendMsg([][]byte{[]byte("data")}, unix.UnixRights(fd, fd, fd), nil); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	oob := make([]byte, unix.CmsgLen(4))
	n, oobn, flags, _, err := b.RecvMsgInto([][]byte{buf}, oob, MSG_CMSG_CLOEXEC)
	must(t, err)
	if n != 4 || flags&MSG_CTRUNC == 0 {
		t.Fatalf("RecvMsgInto = %d bytes, flags %v; want 4, MSG_CTRUNC", n, flags)
	}
	msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
	must(t, err)
	if len(msgs) != 1 {
		t.Fatalf("%d control messages, want 1", len(msgs))
	}
	fds, err := unix.ParseUnixRights(&msgs[0])
	must(t, err)
	if len(fds) != 1 {
		t.Fatalf("%d descriptors, want 1", len(fds))
	}
	if got := countFDs(); got != before+1 {
		t.Errorf("descriptors %d -> %d, want one more", before, got)
	}
	unix.Close(fds[0])
}
