//go:build unix

package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockloop/sockloop/conn"
)

// bin is the fdpass binary TestMain builds.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fdpass-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "fdpass")
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// pyClient is CPython's send_fds example: it opens the file, sends its
// descriptor with the message and prints the reply.
const pyClient = `
import socket, sys
path, name, msg = sys.argv[1:4]
with open(name, "wb") as f, socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
    s.connect(path)
    socket.send_fds(s, [msg.encode()], [f.fileno()])
    reply = b""
    while not reply.endswith(b"\n"):
        part = s.recv(256)
        if not part:
            break
        reply += part
    print(reply.decode().strip())
`

// pyServer is CPython's recv_fds example: it serves one connection as fdpass
// -listen does, after printing "ready" once it listens.
const pyServer = `
import os, socket, sys
path = sys.argv[1]
with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as l:
    l.bind(path)
    l.listen(1)
    print("ready", flush=True)
    c, _ = l.accept()
    with c:
        while True:
            msg, fds, flags, addr = socket.recv_fds(c, 65536, 64)
            if not msg and not fds:
                break
            for fd in fds:
                os.write(fd, msg)
                os.close(fd)
            c.sendall(b"ok %d\n" % len(fds))
`

func python(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on PATH: the CPython interoperability check needs it (CI installs it)")
	}
	return py
}

// startGoServer runs fdpass -listen on a fresh path and waits (bounded)
// until it accepts connections.
func startGoServer(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s")
	cmd := exec.Command(bin, "-listen", path)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for {
		s, err := conn.Open(conn.AF_UNIX, conn.SOCK_STREAM, 0)
		if err != nil {
			t.Fatal(err)
		}
		err = s.Connect(conn.UnixAddr{Path: path})
		s.Close()
		if err == nil {
			return path
		}
		if time.Now().After(deadline) {
			t.Fatalf("fdpass -listen never accepted: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// startPyServer runs pyServer on a fresh path and waits for its "ready".
func startPyServer(t *testing.T, py string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s")
	cmd := exec.Command(py, "-c", pyServer, path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "ready\n" {
		t.Fatalf("python server said %q, %v", line, err)
	}
	return path
}

// checkPassed checks the client's output and what the server wrote
// through the passed descriptor.
func checkPassed(t *testing.T, out []byte, err error, file, msg string) {
	t.Helper()
	if err != nil {
		t.Fatalf("client: %v\n%s", err, out)
	}
	if string(out) != "ok 1\n" {
		t.Errorf("client printed %q, want %q", out, "ok 1\n")
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != msg {
		t.Errorf("file holds %q, want %q", got, msg)
	}
}

func TestGoClientGoServer(t *testing.T) {
	path := startGoServer(t)
	for i, msg := range []string{"hello through a descriptor", "second file"} {
		file := filepath.Join(t.TempDir(), "f"+strconv.Itoa(i))
		os.WriteFile(file, []byte("old contents to truncate away"), 0o600)
		out, err := exec.Command(bin, "-dial", path, "-file", file, "-msg", msg).Output()
		checkPassed(t, out, err, file, msg)
	}
}

func TestPythonClientGoServer(t *testing.T) {
	py := python(t)
	path := startGoServer(t)
	file := filepath.Join(t.TempDir(), "f")
	msg := "from CPython's send_fds"
	out, err := exec.Command(py, "-c", pyClient, path, file, msg).Output()
	checkPassed(t, out, err, file, msg)
}

func TestGoClientPythonServer(t *testing.T) {
	py := python(t)
	path := startPyServer(t, py)
	file := filepath.Join(t.TempDir(), "f")
	msg := "to CPython's recv_fds"
	out, err := exec.Command(bin, "-dial", path, "-file", file, "-msg", msg).Output()
	checkPassed(t, out, err, file, msg)
}

// TestServeManyFDs drives the server in process: one message with several
// descriptors writes into each, and a message with more than maxFDs is
// answered for the first maxFDs while the rest are closed.
func TestServeManyFDs(t *testing.T) {
	a, b, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	done := make(chan struct{})
	go func() { handle(b); close(done) }()
	for _, tt := range []struct {
		name  string
		files int
		want  int
	}{
		{name: "three", files: 3, want: 3},
		{name: "more than maxFDs", files: maxFDs + 3, want: maxFDs},
	} {
		dir := t.TempDir()
		var fds []int
		var files []*os.File
		for i := range tt.files {
			f, err := os.Create(filepath.Join(dir, strconv.Itoa(i)))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			files = append(files, f)
			fds = append(fds, int(f.Fd()))
		}
		before := openFDs()
		if _, err := a.SendFDs([][]byte{[]byte("x")}, fds, nil); err != nil {
			t.Fatal(err)
		}
		reply, err := readLine(a)
		if err != nil || string(reply) != "ok "+strconv.Itoa(tt.want) {
			t.Fatalf("%s: reply %q, %v; want ok %d", tt.name, reply, err, tt.want)
		}
		if now := openFDs(); now != before {
			t.Errorf("%s: open descriptors %d -> %d; the server must close every one it got", tt.name, before, now)
		}
		written := 0
		for _, f := range files {
			if b, _ := os.ReadFile(f.Name()); string(b) == "x" {
				written++
			}
		}
		if written != tt.want {
			t.Errorf("%s: %d files written, want %d", tt.name, written, tt.want)
		}
	}
	a.Close()
	<-done
}

// openFDs counts this process's descriptors, or -1 without /proc.
func openFDs() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(ents)
}

// TestClientMessageBounds: the client refuses an empty message (a stream
// would carry neither it nor the descriptor) and one longer than
// maxMessage (the file would get only its first piece), and passes one of
// exactly maxMessage bytes whole.
func TestClientMessageBounds(t *testing.T) {
	path := startGoServer(t)
	file := filepath.Join(t.TempDir(), "f")
	for _, msg := range []string{"", strings.Repeat("m", maxMessage+1)} {
		err := exec.Command(bin, "-dial", path, "-file", file, "-msg", msg).Run()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
			t.Errorf("-msg of %d bytes: %v, want exit status 2", len(msg), err)
		}
	}
	msg := strings.Repeat("0123456789abcdef", maxMessage/16)
	out, err := exec.Command(bin, "-dial", path, "-file", file, "-msg", msg).Output()
	checkPassed(t, out, err, file, msg)
}

// TestListenPath: a second server refuses the path of a live one, which
// stays reachable; a socket file nobody listens on is replaced; SIGTERM
// removes the server's socket file.
func TestListenPath(t *testing.T) {
	path := startGoServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "-listen", path).CombinedOutput() // killed if it serves
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), "listening") {
		t.Fatalf("second server on a live path: %v, %q; want exit status 1 saying a server listens", err, out)
	}
	file := filepath.Join(t.TempDir(), "f")
	out, err = exec.Command(bin, "-dial", path, "-file", file, "-msg", "still served").Output()
	checkPassed(t, out, err, file, "still served")

	stale := filepath.Join(t.TempDir(), "stale")
	s, err := conn.Open(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Bind(conn.UnixAddr{Path: stale}); err != nil {
		t.Fatal(err)
	}
	s.Close() // the file stays, with nobody listening: a killed server's
	srv := exec.Command(bin, "-listen", stale)
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Process.Kill(); srv.Wait() }()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		out, err = exec.Command(bin, "-dial", stale, "-file", file, "-msg", "after a stale file").Output()
		if err == nil || time.Now().After(deadline) {
			break
		}
	}
	checkPassed(t, out, err, file, "after a stale file")
	srv.Process.Signal(syscall.SIGTERM)
	if err := srv.Wait(); err != nil {
		t.Errorf("server after SIGTERM: %v, want exit status 0", err)
	}
	if _, err := os.Lstat(stale); !os.IsNotExist(err) {
		t.Errorf("socket file after SIGTERM: %v, want it removed", err)
	}
}
