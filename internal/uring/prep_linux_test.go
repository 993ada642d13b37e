package uring

import (
	"bytes"
	"testing"

	"golang.org/x/sys/unix"
)

// TestPrepSplice moves bytes from a socket into a pipe and from the pipe on
// to a socket with two splice ops, and finds them at the far end.
func TestPrepSplice(t *testing.T) {
	r := newRing(t, 4, Options{})
	needOp(t, r, IORING_OP_SPLICE, "IORING_OP_SPLICE")
	a, b := socketpair(t)
	pr, pw := newPipe(t, 0)
	const msg = "through a pipe and back"
	write(t, a, msg)
	// Ask for more than there is: a socket splices what it holds.
	getSQE(t, r).PrepSplice(b, pw, 64, unix.SPLICE_F_MOVE)
	if c := waitCQE(t, r); c.Res != int32(len(msg)) {
		t.Fatalf("socket to pipe res %d, want %d", c.Res, len(msg))
	}
	getSQE(t, r).PrepSplice(pr, b, uint32(len(msg)), unix.SPLICE_F_MOVE)
	if c := waitCQE(t, r); c.Res != int32(len(msg)) {
		t.Fatalf("pipe to socket res %d, want %d", c.Res, len(msg))
	}
	buf := make([]byte, 64)
	if n, err := unix.Read(a, buf); err != nil || string(buf[:n]) != msg {
		t.Errorf("read %q, %v; want %q", buf[:n], err, msg)
	}
}

// sendZCReportUsage (IORING_SEND_ZC_REPORT_USAGE) asks a zero-copy send's
// notification to set notifZCCopied (IORING_NOTIF_USAGE_ZC_COPIED) in its res
// when the kernel copied the data after all.
const (
	sendZCReportUsage = 1 << 3
	notifZCCopied     = 1 << 31
)

// TestPrepSendZC sends 256 KiB with one zero-copy send over loopback TCP,
// sees the result and then the notification, and finds the bytes at the
// peer.
func TestPrepSendZC(t *testing.T) {
	r := newRing(t, 4, Options{})
	needOp(t, r, IORING_OP_SEND_ZC, "IORING_OP_SEND_ZC")
	client, server := tcpPair(t)
	payload := make([]byte, 256<<10)
	for i := range payload {
		payload[i] = byte(i * 7)
	}
	// More than the socket buffers hold at first, so the peer reads while
	// the send goes on.
	got := make(chan []byte, 1)
	go func() { got <- readN(server, len(payload)) }()
	sqe := getSQE(t, r)
	sqe.PrepSendZC(client, payload, unix.MSG_WAITALL)
	sqe.Ioprio |= sendZCReportUsage
	sqe.UserData = 9
	res := waitCQE(t, r)
	if res.UserData != 9 || res.Res != int32(len(payload)) || res.Flags&(IORING_CQE_F_MORE|IORING_CQE_F_NOTIF) != IORING_CQE_F_MORE {
		t.Fatalf("send: user_data %d res %d flags %#x; want 9, %d, F_MORE", res.UserData, res.Res, res.Flags, len(payload))
	}
	notif := waitCQE(t, r)
	if notif.UserData != 9 || notif.Flags&IORING_CQE_F_NOTIF == 0 {
		t.Fatalf("notification: user_data %d res %#x flags %#x", notif.UserData, uint32(notif.Res), notif.Flags)
	}
	t.Logf("notification res %#x: copied %v", uint32(notif.Res), uint32(notif.Res)&notifZCCopied != 0)
	if b := <-got; !bytes.Equal(b, payload) {
		t.Errorf("peer read %d bytes, not the %d sent", len(b), len(payload))
	}
}

// readN reads n bytes from blocking fd, or fewer where it fails first.
func readN(fd, n int) []byte {
	buf := make([]byte, n)
	for off := 0; off < n; {
		m, err := unix.Read(fd, buf[off:])
		if err == unix.EINTR {
			continue
		}
		if m <= 0 || err != nil {
			return buf[:off]
		}
		off += m
	}
	return buf
}
