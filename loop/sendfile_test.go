package loop

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// fileServer answers each connection with a header, a file range and a
// trailer, queued in that order in OnOpen.
type fileServer struct {
	BaseHandler
	f             *os.File
	offset, count int64
	done          chan error
	closes        chan error
}

func (h *fileServer) OnOpen(c *Conn) ([]byte, Action) {
	c.Write([]byte("header|"))
	if err := c.SendFile(h.f, h.offset, h.count, func(_ *Conn, err error) { h.done <- err }); err != nil {
		h.done <- err
	}
	c.Write([]byte("|trailer"))
	c.CloseWrite()
	return nil, None
}

func (h *fileServer) OnClose(c *Conn, err error) Action {
	h.closes <- err
	return None
}

func tempFile(t *testing.T, data []byte) *os.File {
	t.Helper()
	// Not t.TempDir: its RemoveAll fails under Wine (ERROR_INVALID_FUNCTION
	// from the POSIX-semantics delete); a plain Remove of each works.
	dir, err := os.MkdirTemp("", "sockloop")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "payload")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		f.Close()
		os.Remove(path)
		os.Remove(dir)
	})
	return f
}

func TestSendFileInOrderWithWrites(t *testing.T) {
	data := pattern(6 << 20) // several socket buffers: it crosses loop turns
	f := tempFile(t, data)
	for _, tc := range []struct {
		name          string
		offset, count int64
	}{
		{name: "whole file", offset: 0, count: int64(len(data))},
		{name: "middle range", offset: 12345, count: 1 << 20},
		{name: "empty range", offset: 10, count: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &fileServer{f: f, offset: tc.offset, count: tc.count, done: make(chan error, 1), closes: make(chan error, 1)}
			_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
			c := dial(t, addrs[0])
			got, err := io.ReadAll(c)
			if err != nil {
				t.Fatal(err)
			}
			want := append(append([]byte("header|"), data[tc.offset:tc.offset+tc.count]...), "|trailer"...)
			if !bytes.Equal(got, want) {
				t.Fatalf("received %d bytes, want %d: header, the file range, trailer", len(got), len(want))
			}
			if err := <-h.done; err != nil {
				t.Fatalf("SendFile completion: %v", err)
			}
		})
	}
}

func TestSendFileBeyondEndClosesWithError(t *testing.T) {
	f := tempFile(t, pattern(1000))
	h := &fileServer{f: f, offset: 500, count: 1000, done: make(chan error, 1), closes: make(chan error, 1)}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"})
	// The trailer is dropped, so the connection is reset, which can reach
	// the client before its dial returns.
	if c, err := dialConn(addrs[0]); err == nil {
		defer c.Close()
		got, err := io.ReadAll(c)
		if bytes.HasSuffix(got, []byte("|trailer")) || abortiveCloseResets && !errors.Is(err, errConnReset) {
			t.Fatalf("received %q... and then %v: the trailer must not follow a short file, and the end must be a reset", got[:min(len(got), 20)], err)
		}
	} else if !errors.Is(err, errConnReset) {
		t.Fatal(err)
	}
	if err := <-h.done; !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("SendFile completion = %v, want io.ErrUnexpectedEOF", err)
	}
	if err := waitClose(t, h.closes); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("OnClose err = %v, want io.ErrUnexpectedEOF", err)
	}
}
