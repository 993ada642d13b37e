package conn

import (
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

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
