//go:build unix

package loop

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestListenNetServesADuplicate serves a net.Listener's socket and goes on
// serving it after the caller closed its own copy, as a process that took
// over listeners for a restart does.
func TestListenNetServesADuplicate(t *testing.T) {
	for _, network := range []string{"tcp", "unix"} {
		t.Run(network, func(t *testing.T) {
			address := "127.0.0.1:0"
			if network == "unix" {
				address = filepath.Join(t.TempDir(), "s")
			}
			nl, err := net.Listen(network, address)
			if err != nil {
				t.Fatal(err)
			}
			if ul, ok := nl.(*net.UnixListener); ok {
				ul.SetUnlinkOnClose(false) // the engine serves the path on
			}
			e := newTestEngine(t, newEchoHandler())
			defer e.Stop(t.Context())
			if _, err := e.ListenNet(nl); err != nil {
				t.Fatal(err)
			}
			nl.Close()
			if err := e.Start(t.Context()); err != nil {
				t.Fatal(err)
			}
			c, err := net.Dial(network, nl.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := echoRoundTrip(c, 1, 4096); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestListenFDRefusesASocketThatDoesNotListen(t *testing.T) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	e := newTestEngine(t, newEchoHandler())
	defer e.Stop(t.Context())
	var op *net.OpError
	if _, err := e.ListenFD(fd); !errors.As(err, &op) || !errors.Is(err, errNotListening) {
		t.Fatalf("ListenFD of a bound, not listening socket = %v, want a *net.OpError for errNotListening", err)
	}
}

func TestSystemdFDs(t *testing.T) {
	pid := strconv.Itoa(os.Getpid())
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	for _, tc := range []struct {
		name string
		vars map[string]string
		want []int
		bad  bool
	}{
		{"none", nil, nil, false},
		{"two for us", map[string]string{"LISTEN_PID": pid, "LISTEN_FDS": "2"}, []int{3, 4}, false},
		{"for another process", map[string]string{"LISTEN_PID": "1", "LISTEN_FDS": "2"}, nil, false},
		{"not a count", map[string]string{"LISTEN_PID": pid, "LISTEN_FDS": "x"}, nil, true},
	} {
		got, err := systemdFDs(env(tc.vars), 3)
		var oe *OptionError
		if tc.bad != (err != nil && errors.As(err, &oe)) || len(got) != len(tc.want) {
			t.Errorf("%s: systemdFDs = %v, %v; want %v (error %v)", tc.name, got, err, tc.want, tc.bad)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: systemdFDs = %v, want %v", tc.name, got, tc.want)
			}
		}
	}
}

// TestListenFDServesADatagramSocket serves a bound UDP socket given by its
// descriptor.
func TestListenFDServesADatagramSocket(t *testing.T) {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEngine(t, newEchoHandler())
	defer e.Stop(t.Context())
	if _, err := e.ListenNetPacket(pc); err != nil {
		t.Fatal(err)
	}
	pc.Close()
	if err := e.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("udp4", pc.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 16)
	c.Write([]byte("ping"))
	if n, err := c.Read(buf); err != nil || string(buf[:n]) != "ping" {
		t.Fatalf("read %q, %v; want the echo", buf[:n], err)
	}
}
