//go:build unix

package loop

import (
	"io"
	"os"
	"testing"
)

// fileThenInput answers the first input with a file and then that input,
// written by reference from the loop's read buffer.
type fileThenInput struct {
	BaseHandler
	f *os.File
}

func (h *fileThenInput) OnTraffic(c *Conn) Action {
	if err := c.SendFile(h.f, 0, 5, nil); err != nil {
		return Close
	}
	in, _ := c.Next(-1)
	c.Write(in)
	c.CloseWrite()
	return None
}

// TestEmulatedSendfileKeepsBorrowedInput runs the sendfile emulation of the
// systems without sendfile(2) here: reading the file must not overwrite
// input that queued output still borrows.
func TestEmulatedSendfileKeepsBorrowedInput(t *testing.T) {
	sendfileHook = preadSendfile
	t.Cleanup(func() { sendfileHook = sysSendfile })
	h := &fileThenInput{f: tempFile(t, []byte("FILE!"))}
	_, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"}, WithLoops(1))
	c := dial(t, addrs[0])
	if _, err := c.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "FILE!hello" {
		t.Fatalf("read %q, %v; want %q", got, err, "FILE!hello")
	}
}
