package conn

import (
	"os"
	"testing"

	"github.com/sockloop/sockloop/ancillary"
	"golang.org/x/sys/unix"
)

// pipeFDs returns n write ends of one pipe (duplicates) and its read end;
// the test's cleanup closes them all.
func pipeFDs(t *testing.T, n int) (fds []int, r *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	must(t, err)
	t.Cleanup(func() { r.Close(); w.Close() })
	fds = []int{int(w.Fd())}
	for len(fds) < n {
		d, err := unix.FcntlInt(w.Fd(), unix.F_DUPFD_CLOEXEC, 0)
		must(t, err)
		t.Cleanup(func() { unix.Close(d) })
		fds = append(fds, d)
	}
	return fds, r
}

// TestSCMRights passes descriptors over Unix socketpairs with SendFDs and
// RecvFDs: each one received works, is close-on-exec, and exactly the
// descriptors returned are new in /proc/self/fd. When the sender passes
// more than the receiver has room for, MSG_CTRUNC is reported and nothing
// else stays open.
func TestSCMRights(t *testing.T) {
	tests := []struct {
		name      string
		typ       Type
		send      int // descriptors sent
		maxfds    int // room at the receiver
		wantFDs   int
		wantTrunc bool
	}{
		{name: "one/stream", typ: SOCK_STREAM, send: 1, maxfds: 1, wantFDs: 1},
		{name: "one/dgram", typ: SOCK_DGRAM, send: 1, maxfds: 4, wantFDs: 1},
		{name: "many/seqpacket", typ: SOCK_SEQPACKET, send: 16, maxfds: 16, wantFDs: 16},
		{name: "many/stream", typ: SOCK_STREAM, send: 64, maxfds: 64, wantFDs: 64},
		{name: "more than room", typ: SOCK_DGRAM, send: 3, maxfds: 1, wantFDs: 1, wantTrunc: true},
		{name: "no room", typ: SOCK_DGRAM, send: 3, maxfds: 0, wantFDs: 0, wantTrunc: true},
		{name: "twice the room/stream", typ: SOCK_STREAM, send: 8, maxfds: 4, wantFDs: 4, wantTrunc: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := mustPair(t, AF_UNIX, tt.typ)
			fds, r := pipeFDs(t, tt.send)
			n, err := a.SendFDs([][]byte{[]byte("fd"), []byte("s")}, fds, nil)
			if err != nil || n != 3 {
				t.Fatalf("SendFDs = %d, %v", n, err)
			}
			before := countFDs()
			data, got, flags, _, err := b.RecvFDs(16, tt.maxfds)
			must(t, err)
			defer func() {
				for _, fd := range got {
					unix.Close(fd)
				}
			}()
			if string(data) != "fds" || len(got) != tt.wantFDs || (flags&MSG_CTRUNC != 0) != tt.wantTrunc {
				t.Fatalf("RecvFDs = %q, %d fds, flags %v; want \"fds\", %d fds, MSG_CTRUNC %v",
					data, len(got), flags, tt.wantFDs, tt.wantTrunc)
			}
			if now := countFDs(); now != before+tt.wantFDs {
				t.Errorf("open descriptors %d -> %d, want %d more", before, now, tt.wantFDs)
			}
			for i, fd := range got {
				fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
				must(t, err)
				if fl&unix.FD_CLOEXEC == 0 {
					t.Errorf("received fd %d is not close-on-exec", fd)
				}
				if _, err := unix.Write(fd, []byte{byte('a' + i)}); err != nil {
					t.Fatalf("write to received fd: %v", err)
				}
			}
			if len(got) > 0 {
				buf := make([]byte, len(got))
				if _, err := r.Read(buf); err != nil || buf[0] != 'a' {
					t.Errorf("pipe read %q, %v", buf, err)
				}
			}
		})
	}
}

// TestRecvMsgIntoRightsRaw receives SCM_RIGHTS into a raw control buffer
// and parses it with ancillary: the seed's Len(4) case with three fds.
func TestRecvMsgIntoRightsRaw(t *testing.T) {
	a, b := mustPair(t, AF_UNIX, SOCK_DGRAM)
	fds, _ := pipeFDs(t, 3)
	oob, err := ancillary.AppendRights(nil, fds...)
	must(t, err)
	if _, err := a.SendMsg([][]byte{[]byte("data")}, oob, nil); err != nil {
		t.Fatal(err)
	}
	l, _ := ancillary.Len(4)
	rbuf := make([]byte, l)
	buf := make([]byte, 16)
	before := countFDs()
	n, oobn, flags, _, err := b.RecvMsgInto([][]byte{buf}, rbuf)
	must(t, err)
	if n != 4 || !ancillary.Truncated(int(flags)) || flags&MSG_CMSG_CLOEXEC != 0 {
		t.Fatalf("RecvMsgInto = %d bytes, flags %v; want 4, MSG_CTRUNC only", n, flags)
	}
	got, closed, err := ancillary.TakeRights(nil, rbuf[:oobn], int(flags), 8)
	if len(got) != 1 || closed != 0 || err != ancillary.ErrTruncated {
		t.Fatalf("TakeRights = %v, %d, %v; want one fd, ErrTruncated", got, closed, err)
	}
	if now := countFDs(); now != before+1 {
		t.Errorf("open descriptors %d -> %d, want one more", before, now)
	}
	unix.Close(got[0])
}

// TestCredentials receives the sender's credentials with SO_PASSCRED, both
// attached by the kernel and sent explicitly.
func TestCredentials(t *testing.T) {
	a, b := mustPair(t, AF_UNIX, SOCK_DGRAM)
	must(t, b.SetSockopt(SO_PASSCRED, 1))
	want := ancillary.Credentials{PID: int32(os.Getpid()), UID: uint32(os.Getuid()), GID: uint32(os.Getgid())}
	for _, oob := range [][]byte{nil, ancillary.AppendCredentials(nil, want)} {
		if _, err := a.SendMsg([][]byte{[]byte("who")}, oob, nil); err != nil {
			t.Fatal(err)
		}
		space, _ := ancillary.Space(12)
		_, anc, _, _, err := b.RecvMsg(16, space)
		must(t, err)
		var got ancillary.Credentials
		found := false
		for m, err := range ancillary.Messages(anc) {
			must(t, err)
			if got, err = m.Credentials(); err == nil {
				found = true
			}
		}
		if !found || got != want {
			t.Errorf("credentials %+v (found %v), want %+v", got, found, want)
		}
	}
}
