package conn

import (
	"errors"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// osErrno fails the test unless err carries a Winsock or Windows error
// number: the system's own refusal, not one of this package's errors.
func osErrno(t *testing.T, err error) syscall.Errno {
	t.Helper()
	var errno syscall.Errno
	var ve *ValueError
	if !errors.As(err, &errno) || errors.As(err, &ve) {
		t.Fatalf("%v: not an error of the system", err)
	}
	return errno
}

func TestSocketpairEmulated(t *testing.T) {
	a, b := mustPair(t, 0, 0)
	if a.Family() != AF_INET || a.Type() != SOCK_STREAM {
		t.Fatalf("pair is %v %v, want AF_INET SOCK_STREAM", a.Family(), a.Type())
	}
	must(t, sendAll(a, "ping"))
	if got, err := b.Recv(4); err != nil || string(got) != "ping" {
		t.Fatalf("b.Recv = %q, %v", got, err)
	}
	must(t, sendAll(b, "pong"))
	if got, err := a.Recv(4); err != nil || string(got) != "pong" {
		t.Fatalf("a.Recv = %q, %v", got, err)
	}
	tests := []struct {
		name  string
		fam   Family
		typ   Type
		proto Proto
	}{
		{name: "unix family", fam: AF_UNIX, typ: SOCK_STREAM},
		{name: "datagram", fam: AF_INET, typ: SOCK_DGRAM},
		{name: "protocol", fam: AF_INET, typ: SOCK_STREAM, proto: IPPROTO_UDP},
	}
	for _, tt := range tests {
		if a, b, err := Socketpair(tt.fam, tt.typ, tt.proto); !errors.Is(err, windows.WSAEINVAL) {
			if err == nil {
				a.Close()
				b.Close()
			}
			t.Errorf("%s: Socketpair = %v, want an error matching WSAEINVAL", tt.name, err)
		}
	}
}

func TestShareFromShare(t *testing.T) {
	a, b := tcpPair(t)
	data, err := a.Share(os.Getpid())
	if err != nil {
		osErrno(t, err)
		t.Skipf("WSADuplicateSocket refused (Wine implements it only partly): %v", err)
	}
	if len(data) != int(unsafe.Sizeof(windows.WSAProtocolInfo{})) {
		t.Fatalf("Share gave %d bytes, want a WSAPROTOCOL_INFOW", len(data))
	}
	s, err := FromShare(data)
	if err != nil {
		osErrno(t, err)
		t.Skipf("WSASocket(FROM_PROTOCOL_INFO) refused (Wine limitation): %v", err)
	}
	defer s.Close()
	if s.Family() != AF_INET || s.Type() != SOCK_STREAM {
		t.Fatalf("shared socket is %v %v", s.Family(), s.Type())
	}
	// The copy outlives the original and reaches the same peer.
	must(t, a.Close())
	must(t, sendAll(s, "shared"))
	if got, err := b.Recv(6); err != nil || string(got) != "shared" {
		t.Fatalf("peer got %q, %v", got, err)
	}
	if _, err := FromShare(data[:10]); !errors.Is(err, windows.WSAEINVAL) {
		t.Fatalf("FromShare of 10 bytes = %v, want WSAEINVAL", err)
	}
}

func TestDupKeepsTimeout(t *testing.T) {
	a, b := tcpPair(t)
	must(t, a.SetTimeout(0))
	d, err := a.Dup()
	if err != nil {
		osErrno(t, err)
		t.Skipf("WSADuplicateSocket refused (Wine limitation): %v", err)
	}
	defer d.Close()
	if d.Timeout() != 0 || d.Proto() != a.Proto() {
		t.Fatalf("dup has timeout %v proto %v", d.Timeout(), d.Proto())
	}
	must(t, sendAll(b, "x"))
	retryWouldBlock(t, func() error {
		got, err := d.Recv(1)
		if err == nil && string(got) != "x" {
			t.Fatalf("dup got %q", got)
		}
		return err
	})
}

func TestDetachHandsOverTheHandle(t *testing.T) {
	s := mustOpen(t, AF_INET, SOCK_DGRAM, 0)
	must(t, s.Bind(Inet4("127.0.0.1", 0)))
	want, _ := s.SockName()
	h, err := s.Detach()
	must(t, err)
	if s.Fileno() != -1 {
		t.Fatalf("Fileno after Detach = %d", s.Fileno())
	}
	if _, err := s.SockName(); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("SockName after Detach = %v, want net.ErrClosed", err)
	}
	// The handle is still open and owned by the caller: FromFD takes it
	// back (it is on the completion port already) and it still works.
	r, err := FromFD(h, 0, 0, 0)
	if err != nil {
		CloseFD(h)
		t.Fatal(err)
	}
	defer r.Close()
	if got, err := r.SockName(); err != nil || got != want {
		t.Fatalf("SockName of the detached handle = %v, %v; want %v", got, err, want)
	}
	must(t, r.SetTimeout(5*time.Second))
	go func() {
		time.Sleep(20 * time.Millisecond)
		c, err := Open(AF_INET, SOCK_DGRAM, 0)
		if err == nil {
			c.SendTo([]byte("back"), want)
			c.Close()
		}
	}()
	if got, _, err := r.RecvFrom(8); err != nil || string(got) != "back" {
		t.Fatalf("RecvFrom on the adopted handle = %q, %v", got, err)
	}
}

func TestInheritable(t *testing.T) {
	s := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	if inh, err := s.Inheritable(); err != nil || inh {
		t.Fatalf("new socket Inheritable = %v, %v; want false", inh, err)
	}
	must(t, s.SetInheritable(true))
	if inh, err := s.Inheritable(); err != nil || !inh {
		t.Fatalf("after SetInheritable(true): %v, %v", inh, err)
	}
}

func TestFromFDTakesHandle(t *testing.T) {
	h, err := sysSocket(int(AF_INET), int(SOCK_DGRAM), 0, nil)
	must(t, err)
	s, err := FromFD(int(h), 0, 0, 0)
	if err != nil {
		windows.Closesocket(h)
		t.Fatal(err)
	}
	defer s.Close()
	if s.Family() != AF_INET || s.Type() != SOCK_DGRAM || s.Proto() != IPPROTO_UDP {
		t.Fatalf("FromFD detected %v %v %v", s.Family(), s.Type(), s.Proto())
	}
	if _, err := FromFD(-1, 0, 0, 0); !errors.Is(err, windows.WSAEINVAL) {
		t.Fatalf("FromFD(-1) = %v", err)
	}
}
