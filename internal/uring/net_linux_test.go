package uring

import (
	"testing"

	"golang.org/x/sys/unix"
)

// listen returns a loopback TCP listener on an ephemeral port and its
// address, closed with t.
func listen(t testing.TB) (int, *unix.SockaddrInet4) {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("socket: %v", err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatalf("bind: %v", err)
	}
	if err := unix.Listen(fd, 16); err != nil {
		t.Fatalf("listen: %v", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		t.Fatalf("getsockname: %v", err)
	}
	return fd, sa.(*unix.SockaddrInet4)
}

// dial connects a blocking TCP socket to sa, closed with t.
func dial(t testing.TB, sa unix.Sockaddr) int {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("socket: %v", err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.Connect(fd, sa); err != nil {
		t.Fatalf("connect: %v", err)
	}
	return fd
}

// TestAcceptMultishot accepts several connections through one multishot
// accept on a loopback listener.
func TestAcceptMultishot(t *testing.T) {
	r := newRing(t, 8, Options{})
	ln, addr := listen(t)
	sqe := getSQE(t, r)
	sqe.PrepAcceptMultishot(ln, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
	sqe.UserData = 10
	if _, err := r.Submit(); err != nil {
		t.Fatalf("Submit: %v", err)
	}
	for i := range 3 {
		dial(t, addr)
		c := waitCQE(t, r)
		if c.UserData != 10 || c.Res < 0 || c.Flags&IORING_CQE_F_MORE == 0 {
			t.Fatalf("accept %d: user_data %d res %d flags %#x", i, c.UserData, c.Res, c.Flags)
		}
		unix.Close(int(c.Res))
	}
	getSQE(t, r).PrepCancel(10, 0)
	for range 2 {
		c := waitCQE(t, r)
		if c.UserData == 10 && c.Res != -int32(unix.ECANCELED) {
			t.Errorf("cancelled accept res %d, want -ECANCELED", c.Res)
		}
	}
}

// TestConnect connects a socket to a loopback listener through the ring.
func TestConnect(t *testing.T) {
	r := newRing(t, 4, Options{})
	ln, addr := listen(t)
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("socket: %v", err)
	}
	var raw unix.RawSockaddrAny
	n, err := SockaddrToRaw(addr, &raw)
	if err != nil {
		t.Fatalf("SockaddrToRaw: %v", err)
	}
	sqe := getSQE(t, r)
	sqe.PrepConnect(fd, &raw, n)
	sqe.UserData = 5
	if c := waitCQE(t, r); c.Res != 0 {
		t.Fatalf("connect res %d", c.Res)
	}
	nfd, _, err := unix.Accept4(ln, unix.SOCK_CLOEXEC)
	if err != nil {
		t.Fatalf("accept: %v", err)
	}
	unix.Close(nfd)
	getSQE(t, r).PrepClose(fd)
	if c := waitCQE(t, r); c.Res != 0 {
		t.Errorf("close res %d", c.Res)
	}
}

// TestWritev writes several buffers with one writev and reads them back in
// order from the peer.
func TestWritev(t *testing.T) {
	r := newRing(t, 4, Options{})
	a, b := socketpair(t)
	parts := [][]byte{[]byte("gather "), []byte("several "), []byte("buffers")}
	iovs := make([]unix.Iovec, len(parts))
	for i, p := range parts {
		iovs[i].Base = &p[0]
		iovs[i].SetLen(len(p))
	}
	sqe := getSQE(t, r)
	sqe.PrepWritev(a, iovs)
	const want = "gather several buffers"
	if c := waitCQE(t, r); c.Res != int32(len(want)) {
		t.Fatalf("writev res %d, want %d", c.Res, len(want))
	}
	buf := make([]byte, 64)
	n, err := unix.Read(b, buf)
	if err != nil || string(buf[:n]) != want {
		t.Errorf("read %q, %v; want %q", buf[:n], err, want)
	}
}

// TestSendmsgSend sends with sendmsg and send, both with MSG_NOSIGNAL, and
// sees EPIPE rather than a signal once the peer has gone.
func TestSendmsgSend(t *testing.T) {
	r := newRing(t, 4, Options{})
	a, b := socketpair(t)
	payload := []byte("msg")
	iov := unix.Iovec{Base: &payload[0]}
	iov.SetLen(len(payload))
	msg := unix.Msghdr{Iov: &iov}
	msg.SetIovlen(1)
	getSQE(t, r).PrepSendmsg(a, &msg, 0)
	if c := waitCQE(t, r); c.Res != 3 {
		t.Fatalf("sendmsg res %d", c.Res)
	}
	buf := make([]byte, 8)
	if n, _ := unix.Read(b, buf); string(buf[:n]) != "msg" {
		t.Fatalf("read %q", buf[:n])
	}
	unix.Shutdown(b, unix.SHUT_RDWR)
	getSQE(t, r).PrepSend(a, payload, 0)
	if c := waitCQE(t, r); c.Res != -int32(unix.EPIPE) {
		t.Errorf("send to a closed peer res %d, want -EPIPE", c.Res)
	}
}

// TestCancelRecv cancels a pending receive by user_data and another by
// descriptor; each ends with -ECANCELED.
func TestCancelRecv(t *testing.T) {
	tests := []struct {
		name   string
		cancel func(s *SQE, fd int)
	}{
		{name: "by user_data", cancel: func(s *SQE, fd int) { s.PrepCancel(20, 0) }},
		{name: "by fd", cancel: func(s *SQE, fd int) { s.PrepCancelFd(fd, IORING_ASYNC_CANCEL_ALL) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRing(t, 4, Options{})
			_, b := socketpair(t)
			buf := make([]byte, 16)
			sqe := getSQE(t, r)
			sqe.PrepRecv(b, buf, 0)
			sqe.UserData = 20
			if _, err := r.SubmitAndWait(0, 0); err != nil {
				t.Fatalf("SubmitAndWait: %v", err)
			}
			if r.CQReady() != 0 {
				t.Fatalf("recv on an idle socket completed")
			}
			sqe = getSQE(t, r)
			tt.cancel(sqe, b)
			sqe.UserData = 21
			for range 2 {
				c := waitCQE(t, r)
				switch c.UserData {
				case 20:
					if c.Res != -int32(unix.ECANCELED) {
						t.Errorf("recv res %d, want -ECANCELED", c.Res)
					}
				case 21:
					if c.Res < 0 {
						t.Errorf("cancel res %d", c.Res)
					}
				default:
					t.Errorf("unexpected user_data %d", c.UserData)
				}
			}
		})
	}
}

// TestPollMultishot arms a multishot poll on a socket and sees it fire as
// data arrives, staying armed.
func TestPollMultishot(t *testing.T) {
	r := newRing(t, 4, Options{})
	a, b := socketpair(t)
	sqe := getSQE(t, r)
	sqe.PrepPollAdd(b, unix.POLLIN, true)
	sqe.UserData = 30
	if _, err := r.Submit(); err != nil {
		t.Fatalf("Submit: %v", err)
	}
	buf := make([]byte, 8)
	for range 2 {
		write(t, a, "x")
		c := waitCQE(t, r)
		if c.UserData != 30 || c.Res&unix.POLLIN == 0 || c.Flags&IORING_CQE_F_MORE == 0 {
			t.Fatalf("poll: user_data %d res %#x flags %#x", c.UserData, c.Res, c.Flags)
		}
		unix.Read(b, buf)
	}
	getSQE(t, r).PrepPollRemove(30)
	for range 2 {
		waitCQE(t, r)
	}
}
