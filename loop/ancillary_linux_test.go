package loop

import (
	"net"
	"net/netip"
	"os"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
)

// fdWriter writes into every descriptor it receives, closes it, replies
// "ok N", and passes one of its own pipes back when asked with "give".
type fdWriter struct {
	BaseHandler
	giveFD int
}

func (h *fdWriter) OnTraffic(c *Conn) Action {
	msg, _ := c.Next(-1)
	if string(msg) == "give" {
		if err := c.SendFDs([]byte("here"), h.giveFD); err != nil {
			c.Write([]byte(err.Error()))
		}
		return None
	}
	fds := c.TakeFDs()
	for _, fd := range fds {
		unix.Write(fd, msg)
		unix.Close(fd)
	}
	c.Write([]byte{'o', 'k', ' ', byte('0' + len(fds))})
	return None
}

func unixClient(t *testing.T, path string) int {
	t.Helper()
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.Connect(fd, &unix.SockaddrUnix{Name: path}); err != nil {
		t.Fatal(err)
	}
	return fd
}

func pipe(t *testing.T) (r, w *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	return r, w
}

func TestPassingDescriptorsOverLoopConnections(t *testing.T) {
	giveR, giveW := pipe(t)
	h := &fdWriter{giveFD: int(giveW.Fd())}
	path := tempSocket(t)
	_, _ = startEngine(t, h, []string{"unix://" + path}, WithAncillary(true))
	client := unixClient(t, path)

	t.Run("receive", func(t *testing.T) {
		r1, w1 := pipe(t)
		r2, w2 := pipe(t)
		oob, _ := ancillary.AppendRights(nil, int(w1.Fd()), int(w2.Fd()))
		if err := unix.Sendmsg(client, []byte("written by the server"), oob, nil, 0); err != nil {
			t.Fatal(err)
		}
		reply := make([]byte, 4)
		if n, err := unix.Read(client, reply); err != nil || string(reply[:n]) != "ok 2" {
			t.Fatalf("reply %q, %v; want \"ok 2\"", reply[:n], err)
		}
		w1.Close()
		w2.Close()
		for _, r := range []*os.File{r1, r2} {
			buf := make([]byte, 64)
			n, _ := r.Read(buf)
			if string(buf[:n]) != "written by the server" {
				t.Fatalf("pipe got %q", buf[:n])
			}
		}
	})
	t.Run("send", func(t *testing.T) {
		unix.Write(client, []byte("give"))
		buf, oob := make([]byte, 16), make([]byte, 64)
		n, oobn, flags, _, err := unix.Recvmsg(client, buf, oob, unix.MSG_CMSG_CLOEXEC)
		if err != nil || string(buf[:n]) != "here" {
			t.Fatalf("recvmsg %q, %v", buf[:n], err)
		}
		fds, _, err := ancillary.TakeRights(nil, oob[:oobn], flags, 1)
		if err != nil || len(fds) != 1 {
			t.Fatalf("received fds %v, %v", fds, err)
		}
		unix.Write(fds[0], []byte("through the passed pipe"))
		unix.Close(fds[0])
		giveW.Close() // the server's duplicate is closed after sending, so EOF follows
		got := make([]byte, 64)
		n, _ = giveR.Read(got)
		if string(got[:n]) != "through the passed pipe" {
			t.Fatalf("pipe got %q", got[:n])
		}
	})
}

// sourceRecorder replies to each datagram with the address it came in on.
type sourceRecorder struct{ BaseHandler }

func (sourceRecorder) OnTraffic(c *Conn) Action {
	local, _, err := c.ReceivedOn()
	if err != nil {
		c.Write([]byte(err.Error()))
		return None
	}
	c.Write([]byte(local.String()))
	return None
}

func TestDatagramReceivedOnAndReplySource(t *testing.T) {
	for _, tc := range []struct {
		listen, dialHost string
		want             netip.Addr
	}{
		{listen: "udp4://0.0.0.0:0", dialHost: "127.0.0.1", want: netip.MustParseAddr("127.0.0.1")},
		{listen: "udp4://0.0.0.0:0", dialHost: "127.0.0.2", want: netip.MustParseAddr("127.0.0.2")},
		{listen: "udp6://[::]:0", dialHost: "::1", want: netip.MustParseAddr("::1")},
	} {
		t.Run(tc.listen+" via "+tc.dialHost, func(t *testing.T) {
			_, addrs := startEngine(t, sourceRecorder{}, []string{tc.listen}, WithAncillary(true))
			port := addrs[0].(*net.UDPAddr).Port
			c, err := net.ListenUDP("udp", nil)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			to := &net.UDPAddr{IP: net.ParseIP(tc.dialHost), Port: port}
			c.WriteToUDP([]byte("where?"), to)
			buf := make([]byte, 64)
			n, from, err := c.ReadFromUDP(buf)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(buf[:n]); got != tc.want.String() {
				t.Fatalf("ReceivedOn = %q, want %s", got, tc.want)
			}
			// The reply comes from the address the request went to, even on
			// a wildcard socket.
			if fromAddr := from.AddrPort().Addr().Unmap(); fromAddr != tc.want {
				t.Fatalf("reply came from %v, want %v", fromAddr, tc.want)
			}
		})
	}
}
