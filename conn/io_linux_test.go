package conn

import (
	"os"
	"testing"
	"time"

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

// TestRecvWaitAll checks that MSG_WAITALL on a blocking stream socket
// waits for the whole buffer, as the kernel does for CPython.
func TestRecvWaitAll(t *testing.T) {
	a, b := mustPair(t, AF_UNIX, SOCK_STREAM)
	_, err := a.SendAll([]byte("abcd"))
	must(t, err)
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, err := b.Recv(10, MSG_WAITALL)
		done <- result{data, err}
	}()
	// Wait (bounded) until the receiver has taken the first four bytes.
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := unix.IoctlGetInt(b.Fileno(), unix.SIOCINQ)
		must(t, err)
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("receiver never read")
		}
		time.Sleep(time.Millisecond)
	}
	_, err = a.SendAll([]byte("efghij"))
	must(t, err)
	r := <-done
	if r.err != nil || string(r.data) != "abcdefghij" {
		t.Errorf("Recv(MSG_WAITALL) = %q, %v", r.data, r.err)
	}
}

// TestSendFileFromPipe falls back to reading a pipe in order.
func TestSendFileFromPipe(t *testing.T) {
	r, w, err := os.Pipe()
	must(t, err)
	defer r.Close()
	w.WriteString("through a pipe")
	w.Close()
	a, b := mustPair(t, AF_UNIX, SOCK_STREAM)
	n, err := a.SendFile(r, 0, 0)
	if err != nil || n != 14 {
		t.Fatalf("SendFile(pipe) = %d, %v", n, err)
	}
	got, err := b.Recv(64)
	must(t, err)
	if string(got) != "through a pipe" {
		t.Errorf("got %q", got)
	}
}
