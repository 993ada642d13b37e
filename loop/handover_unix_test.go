//go:build unix

package loop

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// serveFiles starts an echo engine on the sockets of files, as a new
// process given them would, and closes the files.
func serveFiles(t *testing.T, files []*os.File) *Engine {
	t.Helper()
	e := newTestEngine(t, newEchoHandler())
	for _, f := range files {
		fd, err := unix.Dup(int(f.Fd()))
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.ListenFD(fd); err != nil {
			unix.Close(fd)
			t.Fatal(err)
		}
	}
	if err := e.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Stop(t.Context()) })
	return e
}

// TestListenerFilesOutliveStop hands an engine's sockets over and stops
// it: connections made after the stop wait in the sockets' queues (every
// socket of the SO_REUSEPORT group, a Unix socket whose file the old
// engine left in place) and a new engine given the files serves each.
func TestListenerFilesOutliveStop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s")
	old, addrs := launchEngine(t, newEchoHandler(), []string{"tcp://127.0.0.1:0", "unix://" + path})
	files, err := old.ListenerFiles()
	if err != nil {
		t.Fatal(err)
	}
	if want := old.countSockets(); len(files) != want {
		t.Fatalf("ListenerFiles gave %d files, want one per socket: %d", len(files), want)
	}
	if err := old.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the old engine's stop removed the Unix socket's file: %v", err)
	}
	var clients []net.Conn
	for i := range 16 {
		addr := addrs[i%2]
		c, err := net.Dial(addr.Network(), addr.String())
		if err != nil {
			t.Fatalf("dial %d after the old engine stopped: %v", i, err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(20 * time.Second)) // a socket nobody serves fails, not hangs
		if _, err := fmt.Fprintf(c, "queued %02d", i); err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	serveFiles(t, files)
	for i, c := range clients {
		want := fmt.Sprintf("queued %02d", i)
		got := make([]byte, len(want))
		if _, err := io.ReadFull(c, got); err != nil || string(got) != want {
			t.Fatalf("client %d read %q, %v; want %q", i, got, err, want)
		}
	}
}

func TestListenerFilesBeforeStartKeepUnixFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s")
	e := newTestEngine(t, newEchoHandler())
	if _, err := e.Listen("unix://" + path); err != nil {
		t.Fatal(err)
	}
	files, err := e.ListenerFiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 {
		t.Fatalf("ListenerFiles gave %d files, want 1", len(files))
	}
	e.Stop(t.Context())
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("an engine stopped before Start removed the file of a socket it handed out: %v", err)
	}
	serveFiles(t, files)
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := echoRoundTrip(c, 1, 1024); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ListenerFiles(); !errors.Is(err, ErrEngineStopped) {
		t.Fatalf("ListenerFiles after Stop = %v, want ErrEngineStopped", err)
	}
}

// TestStopAcceptingServesOpenConnections stops accepting while a
// connection is open: it goes on echoing, and a new connection waits in
// the socket's queue for whoever else holds it, here the test.
func TestStopAcceptingServesOpenConnections(t *testing.T) {
	e, addrs := startEngine(t, newEchoHandler(), []string{"tcp://127.0.0.1:0"})
	open := dial(t, addrs[0])
	if err := echoRoundTrip(open, 1, 1024); err != nil {
		t.Fatal(err)
	}
	files, err := e.ListenerFiles()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.StopAccepting(); err != nil {
		t.Fatal(err)
	}
	accepted := make(chan net.Conn, len(files))
	for _, f := range files {
		ln, err := net.FileListener(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		go func() {
			if c, err := ln.Accept(); err == nil {
				accepted <- c
			}
		}()
	}
	late := dial(t, addrs[0])
	if _, err := late.Write([]byte("late")); err != nil {
		t.Fatal(err)
	}
	took := <-accepted
	defer took.Close()
	got := make([]byte, 4)
	if _, err := io.ReadFull(took, got); err != nil || string(got) != "late" {
		t.Fatalf("the holder of the sockets read %q, %v; want %q", got, err, "late")
	}
	if err := echoRoundTrip(open, 2, 64<<10); err != nil {
		t.Fatalf("the open connection after StopAccepting: %v", err)
	}
	if _, err := e.ListenerFiles(); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("ListenerFiles after StopAccepting = %v, want an error matching net.ErrClosed", err)
	}
}

// TestStopAcceptingFreesTheAddress: once StopAccepting returns, a socket no
// one else holds refuses connections and its port can be bound again, on
// every backend, an accept in the kernel that must be cancelled included.
func TestStopAcceptingFreesTheAddress(t *testing.T) {
	for range 20 {
		e, addrs := startEngine(t, newEchoHandler(), []string{"tcp://127.0.0.1:0"})
		if err := e.StopAccepting(); err != nil {
			t.Fatal(err)
		}
		if c, err := net.Dial("tcp", addrs[0].String()); err == nil {
			c.Close()
			t.Fatalf("%v accepts connections after StopAccepting", addrs[0])
		} else if !errors.Is(err, unix.ECONNREFUSED) {
			t.Fatalf("dial after StopAccepting: %v, want ECONNREFUSED", err)
		}
		ln, err := net.Listen("tcp", addrs[0].String())
		if err != nil {
			t.Fatalf("listen again on %v: %v", addrs[0], err)
		}
		ln.Close()
	}
}

// TestHandoverLosesNoConnection hands an engine's listener to a second
// engine and stops the first accepting while clients keep connecting:
// every connection is served by one or the other. (On io_uring the kernel
// wakes one accept per connection; one woken for the first engine's accept
// as it was cancelled once left its connection queued, unseen.)
func TestHandoverLosesNoConnection(t *testing.T) {
	for round := range 10 {
		old, addrs := startEngine(t, newEchoHandler(), []string{"tcp://127.0.0.1:0"})
		files, err := old.ListenerFiles()
		if err != nil {
			t.Fatal(err)
		}
		serveFiles(t, files)
		stop := make(chan struct{})
		failed := make(chan error, 1)
		go func() {
			defer close(failed)
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				c, err := net.DialTimeout("tcp", addrs[0].String(), 10*time.Second)
				if err == nil {
					c.SetDeadline(time.Now().Add(10 * time.Second))
					err = echoRoundTrip(c, uint64(i), 100)
					c.Close()
				}
				if err != nil {
					failed <- fmt.Errorf("round %d, connection %d: %w", round, i, err)
					return
				}
			}
		}()
		time.Sleep(time.Duration(round) * time.Millisecond)
		if err := old.StopAccepting(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
		close(stop)
		if err := <-failed; err != nil {
			t.Fatal(err)
		}
	}
}
