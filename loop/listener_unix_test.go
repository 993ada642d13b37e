//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package loop

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"testing"
)

// TestUnixListenFailureLeavesPath: a Unix listener whose bind fails removes
// nothing at its path, neither another server's socket (which stays
// reachable) nor a file or directory; one that bound removes its socket
// file when it closes.
func TestUnixListenFailureLeavesPath(t *testing.T) {
	path := tempSocket(t)
	first, _ := startEngine(t, newEchoHandler(), []string{"unix://" + path})
	second, err := New(newEchoHandler())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Stop(context.Background()) })
	if _, err := second.Listen("unix://" + path); err == nil {
		t.Fatal("a second listener bound the path of a live one")
	}
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatalf("the first server after a second one failed to bind its path: %v", err)
	}
	if err := echoRoundTrip(c, 1, 100); err != nil {
		t.Fatal(err)
	}
	c.Close()

	dir := filepath.Dir(path)
	file, empty := filepath.Join(dir, "data.txt"), filepath.Join(dir, "empty")
	if err := os.WriteFile(file, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{file, empty} {
		if _, err := second.Listen("unix://" + p); err == nil {
			t.Fatalf("listening on %s succeeded", p)
		}
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%s after a listener failed to bind it: %v", p, err)
		}
	}

	if err := first.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the socket file after its server stopped: %v", err)
	}
}
