//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ancillary_test

import (
	"encoding/binary"
	"errors"
	"os"
	"slices"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
)

// fakeClose replaces the close hook for the test and returns the fds it
// is asked to close; closing fd 13 fails with EIO.
func fakeClose(t *testing.T) *[]int {
	t.Helper()
	var closed []int
	restore := ancillary.SetCloseFD(func(fd int) error {
		closed = append(closed, fd)
		if fd == 13 {
			return syscall.EIO
		}
		return nil
	})
	t.Cleanup(restore)
	return &closed
}

// fdBytes encodes fds as SCM_RIGHTS data.
func fdBytes(fds ...int) []byte {
	b := make([]byte, 4*len(fds))
	for i, fd := range fds {
		binary.NativeEndian.PutUint32(b[4*i:], uint32(fd))
	}
	return b
}

func TestTakeRightsForged(t *testing.T) {
	hdr := uint64(ancillary.HdrLen)
	rights := func(fds ...int) []byte { b, _ := ancillary.AppendRights(nil, fds...); return b }
	other, _ := ancillary.Append(nil, unix.SOL_SOCKET, unix.SCM_RIGHTS+1000, fdBytes(50, 51))
	// A final SCM_RIGHTS message cut short as macOS leaves it: cmsg_len
	// claims three fds, the buffer holds one and a half.
	cut := concat(rawHeader(hdr+12, unix.SOL_SOCKET, unix.SCM_RIGHTS), fdBytes(40, 41)[:6])
	tests := []struct {
		name       string
		oob        []byte
		flags      int
		limit      int
		wantFDs    []int
		wantClosed []int
		wantErr    error
	}{
		{name: "limit splits messages", oob: concat(rights(1, 2), other, rights(3, 4)), limit: 3,
			wantFDs: []int{1, 2, 3}, wantClosed: []int{4}},
		{name: "limit zero closes all", oob: concat(rights(1, 2), rights(3)), limit: 0,
			wantClosed: []int{1, 2, 3}},
		{name: "negative limit closes all", oob: rights(1), limit: -5, wantClosed: []int{1}},
		{name: "truncated flag", oob: rights(7), flags: unix.MSG_CTRUNC, limit: 1,
			wantFDs: []int{7}, wantErr: ancillary.ErrTruncated},
		{name: "cut tail tolerated under MSG_CTRUNC", oob: concat(rights(1), cut), flags: unix.MSG_CTRUNC, limit: 1,
			wantFDs: []int{1}, wantClosed: []int{40}, wantErr: ancillary.ErrTruncated},
		{name: "cut header tolerated under MSG_CTRUNC", oob: concat(rights(1), []byte{1, 2, 3}), flags: unix.MSG_CTRUNC,
			limit: 0, wantClosed: []int{1}, wantErr: ancillary.ErrTruncated},
		{name: "cut tail malformed without MSG_CTRUNC", oob: concat(rights(1), cut), limit: 0,
			wantClosed: []int{1}, wantErr: ancillary.ErrMalformed},
		{name: "short cmsg_len malformed even truncated", oob: concat(rights(1), rawHeader(0, 1, 1)),
			flags: unix.MSG_CTRUNC, limit: 5, wantFDs: []int{1}, wantErr: ancillary.ErrMalformed},
		{name: "odd rights data", oob: concat(rights(1), mustAppend(t, unix.SOL_SOCKET, unix.SCM_RIGHTS, fdBytes(2, 3)[:7])),
			limit: 5, wantFDs: []int{1, 2}, wantErr: ancillary.ErrMalformed},
		{name: "negative fd neither taken nor closed", oob: mustAppend(t, unix.SOL_SOCKET, unix.SCM_RIGHTS, fdBytes(-1, 2)),
			limit: 0, wantClosed: []int{2}, wantErr: ancillary.ErrMalformed},
		{name: "close error reported, closing goes on", oob: rights(12, 13, 14), limit: 0,
			wantClosed: []int{12, 13, 14}, wantErr: syscall.EIO},
		{name: "empty", oob: nil, limit: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			closed := fakeClose(t)
			fds, n, err := ancillary.TakeRights(nil, tt.oob, tt.flags, tt.limit)
			if !slices.Equal(fds, tt.wantFDs) {
				t.Errorf("took %v, want %v", fds, tt.wantFDs)
			}
			if !slices.Equal(*closed, tt.wantClosed) || n != len(tt.wantClosed) {
				t.Errorf("closed %v (reported %d), want %v", *closed, n, tt.wantClosed)
			}
			if tt.wantErr == nil && err != nil || !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			var se *os.SyscallError
			if errors.Is(tt.wantErr, syscall.EIO) && !errors.As(err, &se) {
				t.Errorf("close error %T is not an *os.SyscallError", err)
			}
		})
	}
}

func TestCloseRightsForged(t *testing.T) {
	closed := fakeClose(t)
	oob, _ := ancillary.AppendRights(nil, 5, 6)
	oob, _ = ancillary.AppendRights(oob, 7)
	n, err := ancillary.CloseRights(oob, 0)
	if err != nil || n != 3 || !slices.Equal(*closed, []int{5, 6, 7}) {
		t.Fatalf("CloseRights = %d, %v, closed %v; want 3, nil, [5 6 7]", n, err, *closed)
	}
}

// mustAppend is Append for a fresh buffer that must succeed.
func mustAppend(t *testing.T, level, typ int, data []byte) []byte {
	t.Helper()
	b, err := ancillary.Append(nil, level, typ, data)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
