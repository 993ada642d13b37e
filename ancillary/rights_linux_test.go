package ancillary_test

import (
	"errors"
	"slices"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
)

// pipe returns a pipe's read and write ends, closed at the end of the test.
func pipe(t *testing.T) (r, w int) {
	t.Helper()
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		t.Fatalf("pipe2: %v", err)
	}
	t.Cleanup(func() {
		unix.Close(p[0])
		unix.Close(p[1])
	})
	return p[0], p[1]
}

// sendFDs sends one byte with an SCM_RIGHTS message passing fds.
func sendFDs(t *testing.T, sock int, fds ...int) {
	t.Helper()
	oob, err := ancillary.AppendRights(nil, fds...)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Sendmsg(sock, []byte{'x'}, oob, nil, 0); err != nil {
		t.Fatalf("sendmsg: %v", err)
	}
}

// sameFile fails the test unless fd and want are the same open file.
func sameFile(t *testing.T, fd, want int) {
	t.Helper()
	var a, b unix.Stat_t
	if err := unix.Fstat(fd, &a); err != nil {
		t.Fatalf("fstat %d: %v", fd, err)
	}
	if err := unix.Fstat(want, &b); err != nil {
		t.Fatalf("fstat %d: %v", want, err)
	}
	if a.Dev != b.Dev || a.Ino != b.Ino {
		t.Fatalf("fd %d is not the file of fd %d", fd, want)
	}
	flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
	if err != nil || flags&unix.FD_CLOEXEC == 0 {
		t.Fatalf("fd %d lacks FD_CLOEXEC despite MSG_CMSG_CLOEXEC (flags %#x, %v)", fd, flags, err)
	}
}

// closeAll closes the fds a test took.
func closeAll(t *testing.T, fds []int) {
	t.Helper()
	for _, fd := range fds {
		if err := unix.Close(fd); err != nil {
			t.Errorf("close %d: %v", fd, err)
		}
	}
}

func TestRightsOneFD(t *testing.T) {
	a, b := socketpair(t, unix.SOCK_STREAM)
	r, w := pipe(t)
	sendFDs(t, a, r)
	got := recvmsg(t, b, mustSpace(t, 4))
	if ancillary.Truncated(got.flags) {
		t.Fatalf("MSG_CTRUNC set for a buffer of Space(4)")
	}
	fds, closed, err := ancillary.TakeRights(nil, got.oob, got.flags, 1)
	if err != nil || closed != 0 || len(fds) != 1 {
		t.Fatalf("TakeRights = %v, %d, %v; want one fd", fds, closed, err)
	}
	defer closeAll(t, fds)
	sameFile(t, fds[0], r)
	if _, err := unix.Write(w, []byte("hi")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 8)
	if n, err := unix.Read(fds[0], buf); err != nil || string(buf[:n]) != "hi" {
		t.Fatalf("read through the passed fd: %q, %v", buf[:n], err)
	}
}

func TestRightsManyFDs(t *testing.T) {
	const n = 200 // below SCM_MAX_FD (253)
	a, b := socketpair(t, unix.SOCK_DGRAM)
	r, _ := pipe(t)
	send := make([]int, n)
	for i := range send {
		send[i] = r
	}
	sendFDs(t, a, send...)
	before := mustOpenFDs(t)
	got := recvmsg(t, b, mustSpace(t, 4*n))
	added := newFDs(before, mustOpenFDs(t))
	if len(added) != n || ancillary.Truncated(got.flags) {
		t.Fatalf("%d new fds, flags %#x; want %d, no MSG_CTRUNC", len(added), got.flags, n)
	}
	m := only(t, got.oob)
	fds, err := m.Rights(make([]int, 0, n))
	if err != nil || len(fds) != n {
		t.Fatalf("Rights: %d fds, %v", len(fds), err)
	}
	slices.Sort(fds)
	if !slices.Equal(fds, added) {
		t.Fatalf("Rights returned fds that are not the new ones")
	}
	for _, fd := range fds {
		sameFile(t, fd, r)
	}
	closed, err := ancillary.CloseRights(got.oob, got.flags)
	if err != nil || closed != n {
		t.Fatalf("CloseRights = %d, %v; want %d, nil", closed, err, n)
	}
	if left := newFDs(before, mustOpenFDs(t)); len(left) != 0 {
		t.Fatalf("fds %v still open after CloseRights", left)
	}
}

// REFERENCE.md: three fds sent, received with a CMSG_LEN(4) buffer: one
// message with 4 data bytes, MSG_CTRUNC, exactly one new fd; with a buffer
// of 0: no message, MSG_CTRUNC, no new fd.
func TestRightsTruncated(t *testing.T) {
	tests := []struct {
		name    string
		oobLen  int
		wantFDs int
	}{
		{name: "Len(4)", oobLen: mustLen(t, 4), wantFDs: 1},
		{name: "zero", oobLen: 0, wantFDs: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := socketpair(t, unix.SOCK_STREAM)
			r, _ := pipe(t)
			sendFDs(t, a, r, r, r)
			before := mustOpenFDs(t)
			got := recvmsg(t, b, tt.oobLen)
			added := newFDs(before, mustOpenFDs(t))
			if !ancillary.Truncated(got.flags) {
				t.Errorf("MSG_CTRUNC not set (flags %#x)", got.flags)
			}
			if len(added) != tt.wantFDs {
				t.Errorf("%d new fds, want %d", len(added), tt.wantFDs)
			}
			ms, err := collect(got.oob)
			if err != nil {
				t.Fatalf("parsing the truncated data: %v", err)
			}
			if tt.wantFDs == 0 {
				if len(ms) != 0 {
					t.Errorf("got %d messages, want none", len(ms))
				}
			} else if len(ms) != 1 || !ms[0].IsRights() || len(ms[0].Data) != 4 {
				t.Errorf("got %+v, want one SCM_RIGHTS message with 4 data bytes", ms)
			}
			fds, closed, err := ancillary.TakeRights(nil, got.oob, got.flags, 10)
			if !errors.Is(err, ancillary.ErrTruncated) || closed != 0 {
				t.Errorf("TakeRights: closed %d, err %v; want 0, ErrTruncated", closed, err)
			}
			slices.Sort(fds)
			if !slices.Equal(fds, added) {
				t.Errorf("TakeRights returned %v, want the new fds %v", fds, added)
			}
			closeAll(t, fds)
			if left := newFDs(before, mustOpenFDs(t)); len(left) != 0 {
				t.Errorf("fds %v leaked", left)
			}
		})
	}
}

// TakeRights hands over up to its limit and closes the rest, across
// several messages.
func TestTakeRightsLimit(t *testing.T) {
	a, b := socketpair(t, unix.SOCK_DGRAM)
	r, _ := pipe(t)
	oob, _ := ancillary.AppendRights(nil, r, r)
	oob, _ = ancillary.AppendRights(oob, r, r, r)
	if err := unix.Sendmsg(a, []byte{'x'}, oob, nil, 0); err != nil {
		t.Fatalf("sendmsg: %v", err)
	}
	before := mustOpenFDs(t)
	got := recvmsg(t, b, 256)
	ms, err := collect(got.oob)
	if err != nil {
		t.Fatal(err)
	}
	var all []int
	for _, m := range ms {
		if all, err = m.Rights(all); err != nil {
			t.Fatal(err)
		}
	}
	if len(all) != 5 {
		t.Fatalf("received %d fds in %d messages, want 5", len(all), len(ms))
	}
	fds, closed, err := ancillary.TakeRights([]int{-1}, got.oob, got.flags, 3)
	if err != nil || closed != 2 || !slices.Equal(fds, append([]int{-1}, all[:3]...)) {
		t.Fatalf("TakeRights = %v, %d, %v; want [-1 %v], 2 closed", fds, closed, err, all[:3])
	}
	left := newFDs(before, mustOpenFDs(t))
	if !slices.Equal(left, slices.Sorted(slices.Values(all[:3]))) {
		t.Fatalf("open after TakeRights: %v, want %v", left, all[:3])
	}
	closeAll(t, fds[1:])
}
