//go:build unix

package conn

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// pyConnectAgain prints, for a connected TCP and AF_UNIX stream socket in
// blocking, timeout and non-blocking mode, the errno name of a second
// connect and connect_ex's return value.
const pyConnectAgain = `
import errno, os, socket, sys
def pair(fam, addr):
    l = socket.socket(fam); l.bind(addr); l.listen()
    c = socket.socket(fam); c.connect(l.getsockname())
    return l, c
for fam, addr in ((socket.AF_INET, ("127.0.0.1", 0)), (socket.AF_UNIX, os.path.join(sys.argv[1], "py"))):
    l, c = pair(fam, addr)
    for t in (None, 5.0, 0.0):
        c.settimeout(t)
        try:
            c.connect(l.getsockname()); print("ok")
        except OSError as e:
            print(errno.errorcode[e.errno])
        print(errno.errorcode.get(c.connect_ex(l.getsockname()), "0"))
`

// TestConnectAgainIsEISCONN: connecting a connected stream socket fails
// with EISCONN in every mode, as in CPython; connect_ex returns it.
func TestConnectAgainIsEISCONN(t *testing.T) {
	dir := t.TempDir()
	var got []string
	for _, tt := range []struct {
		family Family
		addr   Addr
	}{
		{AF_INET, Inet4("127.0.0.1", 0)},
		{AF_UNIX, UnixAddr{Path: filepath.Join(dir, "go")}},
	} {
		l := mustOpen(t, tt.family, SOCK_STREAM, 0)
		must(t, l.Bind(tt.addr))
		must(t, l.Listen())
		addr, err := l.SockName()
		must(t, err)
		c := mustOpen(t, tt.family, SOCK_STREAM, 0)
		must(t, c.Connect(addr))
		for _, d := range []time.Duration{NoTimeout, 5 * time.Second, 0} {
			must(t, c.SetTimeout(d))
			err := c.Connect(addr)
			var errno unix.Errno
			switch {
			case err == nil:
				got = append(got, "ok")
			case errors.As(err, &errno):
				got = append(got, unix.ErrnoName(errno))
			default:
				t.Fatalf("%v, timeout %v: Connect again: %v", tt.family, d, err)
			}
			e, err := c.ConnectEx(addr)
			must(t, err)
			if e == 0 {
				got = append(got, "0")
			} else {
				got = append(got, unix.ErrnoName(e))
			}
		}
	}
	want := slices.Repeat([]string{"EISCONN"}, 12) // 2 families x 3 modes x (connect, connect_ex)
	sameAsCPython(t, got, want, pyConnectAgain, dir)
}

// pyConnectTimeoutFirst prints the outcome of three connects of one TCP
// socket: under a timeout twice, then blocking.
const pyConnectTimeoutFirst = `
import errno, socket
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen()
c = socket.socket()
for t in (5.0, 5.0, None):
    c.settimeout(t)
    try:
        c.connect(l.getsockname()); print("ok")
    except OSError as e:
        print(errno.errorcode[e.errno])
`

// TestConnectAfterTimeoutMode: a connection made under a timeout completes
// in the background, and the kernel answers the next connect with success
// once, then EISCONN; CPython shows the same.
func TestConnectAfterTimeoutMode(t *testing.T) {
	_, addr := listen(t)
	c := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	var got []string
	for _, d := range []time.Duration{5 * time.Second, 5 * time.Second, NoTimeout} {
		must(t, c.SetTimeout(d))
		var errno unix.Errno
		switch err := c.Connect(addr); {
		case err == nil:
			got = append(got, "ok")
		case errors.As(err, &errno):
			got = append(got, unix.ErrnoName(errno))
		default:
			t.Fatalf("timeout %v: %v", d, err)
		}
	}
	sameAsCPython(t, got, []string{"ok", "ok", "EISCONN"}, pyConnectTimeoutFirst)
}
