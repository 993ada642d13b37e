package netconn_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"
)

// TestHalfClose: after the peer's CloseWrite a Conn reads its bytes, then
// io.EOF, and can still answer; after the Conn's CloseWrite the peer reads
// io.EOF while the Conn goes on reading, and the Conn's writes fail.
func TestHalfClose(t *testing.T) {
	s := startServer(t, nil)

	t.Run("peer-shuts", func(t *testing.T) {
		c, client := s.pair(t)
		client.Write([]byte("question"))
		client.(*net.TCPConn).CloseWrite()
		got, err := io.ReadAll(c)
		if err != nil || string(got) != "question" {
			t.Fatalf("ReadAll: %q, %v; want %q, nil", got, err, "question")
		}
		if n, err := c.Read(make([]byte, 8)); n != 0 || err != io.EOF {
			t.Fatalf("Read after EOF: %d, %v; want 0, io.EOF", n, err)
		}
		if _, err := c.Write([]byte("answer")); err != nil {
			t.Fatalf("Write after the peer's end: %v", err)
		}
		c.Close()
		got, err = io.ReadAll(client)
		if err != nil || string(got) != "answer" {
			t.Fatalf("client ReadAll: %q, %v; want %q, nil", got, err, "answer")
		}
	})

	t.Run("conn-shuts", func(t *testing.T) {
		c, client := s.pair(t)
		c.Write([]byte("last words"))
		if err := c.CloseWrite(); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Write([]byte("more")); err == nil {
			t.Fatal("Write after CloseWrite succeeded")
		}
		got, err := io.ReadAll(client)
		if err != nil || string(got) != "last words" {
			t.Fatalf("client ReadAll: %q, %v; want %q, nil", got, err, "last words")
		}
		client.Write([]byte("still listening?"))
		buf := make([]byte, 16)
		if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "still listening?" {
			t.Fatalf("Read after CloseWrite: %q, %v", buf, err)
		}
	})
}

// TestCloseWakes: Close wakes a blocked Read and Write with an error that
// is net.ErrClosed and not a timeout; later calls fail the same way.
func TestCloseWakes(t *testing.T) {
	s := startServer(t, nil)
	c, _ := s.pair(t)
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	wg.Add(2)
	go func() {
		defer wg.Done()
		_, err := c.Read(make([]byte, 10))
		errs <- err
	}()
	go func() {
		defer wg.Done()
		var err error
		for err == nil { // the client never reads: this blocks in the end
			_, err = c.Write(make([]byte, 64<<10))
		}
		errs <- err
	}()
	time.Sleep(50 * time.Millisecond) // let both block; the test holds either way
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	within(t, 10*time.Second, "Read and Write after Close", wg.Wait)
	close(errs)
	for err := range errs {
		checkClosed(t, err)
	}
	_, err := c.Read(make([]byte, 1))
	checkClosed(t, err)
	_, err = c.Write([]byte("x"))
	checkClosed(t, err)
	checkClosed(t, c.Close())
	checkClosed(t, c.SetDeadline(time.Now()))
}

func checkClosed(t *testing.T, err error) {
	t.Helper()
	var ne net.Error
	if !errors.Is(err, net.ErrClosed) || !errors.As(err, &ne) || ne.Timeout() {
		t.Errorf("got %v; want a net.Error matching net.ErrClosed, not a timeout", err)
	}
}

// TestDeadlines follows Go's rules: a passed deadline fails at once, even
// with input waiting; moving it later while a call waits keeps the call
// waiting until then; moving it to none lets the call go on to complete.
func TestDeadlines(t *testing.T) {
	s := startServer(t, nil)

	t.Run("past-with-input", func(t *testing.T) {
		c, client := s.pair(t)
		client.Write([]byte("waiting"))
		buf := make([]byte, 7)
		if _, err := io.ReadFull(c, buf[:1]); err != nil {
			t.Fatal(err) // the input has arrived
		}
		c.SetReadDeadline(time.Now().Add(-time.Second))
		n, err := c.Read(buf)
		checkTimeout(t, n, err)
		c.SetReadDeadline(time.Time{})
		if n, err := io.ReadFull(c, buf[:6]); n != 6 || err != nil || string(buf[:6]) != "aiting" {
			t.Fatalf("Read after clearing the deadline: %q, %v", buf[:n], err)
		}
	})

	t.Run("extended-while-waiting", func(t *testing.T) {
		c, client := s.pair(t)
		c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		done := make(chan error, 1)
		go func() {
			_, err := c.Read(make([]byte, 1))
			done <- err
		}()
		c.SetReadDeadline(time.Now().Add(time.Hour))
		time.Sleep(150 * time.Millisecond) // past the first deadline
		client.Write([]byte("x"))
		within(t, 10*time.Second, "Read", func() {
			if err := <-done; err != nil {
				t.Errorf("Read with its deadline moved later: %v", err)
			}
		})
	})

	t.Run("cleared-while-waiting", func(t *testing.T) {
		c, client := s.pair(t)
		c.SetDeadline(time.Now().Add(100 * time.Millisecond))
		done := make(chan error, 1)
		go func() {
			_, err := c.Read(make([]byte, 1))
			done <- err
		}()
		c.SetDeadline(time.Time{})
		time.Sleep(200 * time.Millisecond)
		client.Write([]byte("x"))
		within(t, 10*time.Second, "Read", func() {
			if err := <-done; err != nil {
				t.Errorf("Read with its deadline cleared: %v", err)
			}
		})
	})

	t.Run("write-blocked", func(t *testing.T) {
		c, _ := s.pair(t) // the client never reads
		c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		var err error
		within(t, 30*time.Second, "Write", func() {
			for err == nil {
				_, err = c.Write(make([]byte, 64<<10))
			}
		})
		checkTimeout(t, 0, err)
	})
}

func checkTimeout(t *testing.T, n int, err error) {
	t.Helper()
	var ne net.Error
	if n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("got %d, %v; want 0 and a timeout matching os.ErrDeadlineExceeded", n, err)
	}
}

// TestConcurrentWrites: the bytes of one Write are never interleaved with
// another's, each Write being larger than the chunks the loop gets.
func TestConcurrentWrites(t *testing.T) {
	s := startServer(t, nil)
	c, client := s.pair(t)
	const writers, size = 8, 200 << 10
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Write(bytes.Repeat([]byte{byte('a' + i)}, size)); err != nil {
				t.Error(err)
			}
		}()
	}
	go func() { wg.Wait(); c.Close() }()
	got, err := io.ReadAll(client)
	if err != nil || len(got) != writers*size {
		t.Fatalf("read %d bytes, %v; want %d", len(got), err, writers*size)
	}
	seen := map[byte]bool{}
	for off := 0; off < len(got); off += size {
		b := got[off]
		if seen[b] || !bytes.Equal(got[off:off+size], bytes.Repeat([]byte{b}, size)) {
			t.Fatalf("the Write at offset %d is interleaved with another", off)
		}
		seen[b] = true
	}
}

// TestBulk moves 4 MiB each way at once, checking every byte, with reads
// and writes of odd sizes.
func TestBulk(t *testing.T) {
	s := startServer(t, nil)
	c, client := s.pair(t)
	want := make([]byte, 4<<20)
	rand.Read(want)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); writeIn(c, want, 7777); c.CloseWrite() }()
	go func() {
		defer wg.Done()
		writeIn(client, want, 100<<10)
		client.(*net.TCPConn).CloseWrite()
	}()
	var fromServer []byte
	var errClient error
	readDone := make(chan struct{})
	go func() { defer close(readDone); fromServer, errClient = readIn(client, 3000) }()
	fromClient, err := readIn(c, 65537)
	<-readDone
	wg.Wait()
	if err != nil || !bytes.Equal(fromClient, want) {
		t.Errorf("server read %d bytes, %v; want the %d sent", len(fromClient), err, len(want))
	}
	if errClient != nil || !bytes.Equal(fromServer, want) {
		t.Errorf("client read %d bytes, %v; want the %d sent", len(fromServer), errClient, len(want))
	}
}

func writeIn(w io.Writer, b []byte, chunk int) {
	for len(b) > 0 {
		n, err := w.Write(b[:min(chunk, len(b))])
		if err != nil {
			return
		}
		b = b[n:]
	}
}

func readIn(r io.Reader, chunk int) ([]byte, error) {
	var got []byte
	buf := make([]byte, chunk)
	for {
		n, err := r.Read(buf)
		got = append(got, buf[:n]...)
		if err == io.EOF {
			return got, nil
		}
		if err != nil {
			return got, err
		}
	}
}
