package conn

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// sendfileHook counts the sendfile(2) calls of s; with refuse set it
// fails them all with EINVAL, so SendFile takes its read-and-send path.
func sendfileHook(s *Socket, refuse bool) *int {
	calls := new(int)
	s.hooks = &hooks{sendfile: func(outfd, infd int, off *int64, n int) (int, error) {
		*calls++
		if refuse {
			return 0, unix.EINVAL
		}
		return unix.Sendfile(outfd, infd, off, n)
	}}
	return calls
}

// TestSendFilePosition checks Python's rule for the file position on both
// paths: after a complete send and after a send cut short by a timeout
// (the peer never reads), the position is offset + the count sent.
func TestSendFilePosition(t *testing.T) {
	const size = 4 << 20 // far more than a socketpair buffers
	content := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	path := filepath.Join(t.TempDir(), "f")
	must(t, os.WriteFile(path, content, 0o600))
	tests := []struct {
		name          string
		fallback      bool
		offset, count int64
		stall         bool // the peer does not read; a timeout stops the send
	}{
		{name: "sendfile", offset: 5, count: 1000},
		{name: "fallback", fallback: true, offset: 5, count: 1000},
		{name: "sendfile/stalled", offset: 100, stall: true},
		{name: "fallback/stalled", fallback: true, offset: 100, stall: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := os.Open(path)
			must(t, err)
			defer f.Close()
			a, b := mustPair(t, AF_UNIX, SOCK_STREAM)
			calls := sendfileHook(a, tt.fallback)
			if tt.stall {
				must(t, a.SetTimeout(20*time.Millisecond))
			}
			n, err := a.SendFile(f, tt.offset, tt.count)
			if *calls == 0 {
				t.Error("sendfile(2) never tried")
			}
			pos, _ := f.Seek(0, io.SeekCurrent)
			if pos != tt.offset+n {
				t.Errorf("file position %d after sending %d from %d; want %d", pos, n, tt.offset, tt.offset+n)
			}
			if tt.stall {
				if !errors.Is(err, ErrTimeout) || n <= 0 || n >= size-tt.offset {
					t.Fatalf("SendFile to a stalled peer = %d, %v; want a partial count and a timeout", n, err)
				}
				return
			}
			if err != nil || n != tt.count {
				t.Fatalf("SendFile = %d, %v; want %d", n, err, tt.count)
			}
			got := make([]byte, n)
			_, err = io.ReadFull(b, got)
			must(t, err)
			if !bytes.Equal(got, content[tt.offset:tt.offset+n]) {
				t.Error("bytes received differ from the file's")
			}
		})
	}
}

// TestSendFileNothingSent leaves the position alone when nothing was sent.
func TestSendFileNothingSent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	must(t, os.WriteFile(path, []byte("abc"), 0o600))
	f, err := os.Open(path)
	must(t, err)
	defer f.Close()
	f.Seek(1, io.SeekStart)
	a, _ := mustPair(t, AF_UNIX, SOCK_STREAM)
	if n, err := a.SendFile(f, 3, 0); n != 0 || err != nil { // at the end: nothing to send
		t.Fatalf("SendFile at EOF = %d, %v", n, err)
	}
	if pos, _ := f.Seek(0, io.SeekCurrent); pos != 1 {
		t.Errorf("position %d, want 1 (untouched)", pos)
	}
}

// TestReadFromFile checks io.ReaderFrom's fast path: an *os.File and an
// *io.LimitedReader over one go through sendfile(2) from the current
// position, which then moves past what was sent.
func TestReadFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	must(t, os.WriteFile(path, []byte("0123456789"), 0o600))
	f, err := os.Open(path)
	must(t, err)
	defer f.Close()
	a, b := mustPair(t, AF_UNIX, SOCK_STREAM)
	calls := sendfileHook(a, false)
	f.Seek(2, io.SeekStart)
	lr := &io.LimitedReader{R: f, N: 5}
	if n, err := a.ReadFrom(lr); n != 5 || err != nil || lr.N != 0 {
		t.Fatalf("ReadFrom(LimitedReader) = %d, %v, N left %d", n, err, lr.N)
	}
	if n, err := a.ReadFrom(f); n != 3 || err != nil {
		t.Fatalf("ReadFrom(file) = %d, %v", n, err)
	}
	if *calls == 0 {
		t.Error("ReadFrom did not use sendfile(2)")
	}
	got := make([]byte, 8)
	_, err = io.ReadFull(b, got)
	must(t, err)
	if string(got) != "23456789" {
		t.Errorf("received %q", got)
	}
	if pos, _ := f.Seek(0, io.SeekCurrent); pos != 10 {
		t.Errorf("position %d, want 10", pos)
	}
}

// TestSendFilePartialEAGAIN feeds SendFile the BSD and macOS behaviour of
// sendfile(2): a partial count reported together with EAGAIN, and the
// offset left alone. Nothing may be sent twice or skipped.
func TestSendFilePartialEAGAIN(t *testing.T) {
	content := bytes.Repeat([]byte("abcdefghijklmnopqrstuvwxyz"), 400)
	path := filepath.Join(t.TempDir(), "f")
	must(t, os.WriteFile(path, content, 0o600))
	f, err := os.Open(path)
	must(t, err)
	defer f.Close()
	a, b := mustPair(t, AF_UNIX, SOCK_STREAM)
	calls := 0
	a.hooks = &hooks{sendfile: func(outfd, infd int, off *int64, n int) (int, error) {
		calls++
		start := *off
		m, err := unix.Sendfile(outfd, infd, off, min(n, 777))
		*off = start // the BSDs do not move it
		if err == nil && m > 0 && calls%2 == 1 {
			err = unix.EAGAIN // partial, as a full socket buffer reports it there
		}
		return m, err
	}}
	done := make(chan []byte, 1)
	go func() {
		got := make([]byte, len(content)-10)
		io.ReadFull(b, got)
		done <- got
	}()
	n, err := a.SendFile(f, 10, 0)
	if err != nil || n != int64(len(content)-10) {
		t.Fatalf("SendFile = %d, %v; want %d", n, err, len(content)-10)
	}
	if got := <-done; !bytes.Equal(got, content[10:]) {
		t.Error("bytes received differ from the file's")
	}
	if pos, _ := f.Seek(0, io.SeekCurrent); pos != int64(len(content)) {
		t.Errorf("position %d, want %d", pos, len(content))
	}
}
