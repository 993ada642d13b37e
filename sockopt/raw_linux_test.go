package sockopt_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"os"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/sockopt"
)

func TestRawInt(t *testing.T) {
	fd := newSocket(t, unix.AF_INET, unix.SOCK_STREAM)
	if err := sockopt.SetInt(fd, unix.IPPROTO_TCP, unix.TCP_KEEPCNT, 9); err != nil {
		t.Fatal(err)
	}
	if v, err := sockopt.GetInt(fd, unix.IPPROTO_TCP, unix.TCP_KEEPCNT); err != nil || v != 9 {
		t.Fatalf("GetInt = %d, %v; want 9", v, err)
	}
}

func TestRawBytes(t *testing.T) {
	fd := newSocket(t, unix.AF_INET, unix.SOCK_STREAM)
	var b [4]byte
	binary.NativeEndian.PutUint32(b[:], 11)
	if err := sockopt.SetBytes(fd, unix.IPPROTO_TCP, unix.TCP_KEEPCNT, b[:]); err != nil {
		t.Fatal(err)
	}
	got, err := sockopt.GetBytes(fd, unix.IPPROTO_TCP, unix.TCP_KEEPCNT, 4)
	if err != nil || len(got) != 4 || binary.NativeEndian.Uint32(got) != 11 {
		t.Fatalf("GetBytes = %v, %v; want 11 in 4 bytes", got, err)
	}
	// A string option fills the buffer, NUL padded.
	if err := sockopt.SetBytes(fd, unix.IPPROTO_TCP, unix.TCP_CONGESTION, []byte("reno")); err != nil {
		skipPrivileged(t, err)
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	n, err := sockopt.GetInto(fd, unix.IPPROTO_TCP, unix.TCP_CONGESTION, buf)
	if err != nil || string(bytes.TrimRight(buf[:n], "\x00")) != "reno" {
		t.Fatalf("GetInto = %q, %v", buf[:n], err)
	}
}

// TestSetNil uses the (nil, optlen) form: a NULL value with a nonzero
// length faults on an ordinary option and the error says so, which proves
// the NULL reached the kernel with its length.
func TestSetNil(t *testing.T) {
	fd := newSocket(t, unix.AF_INET, unix.SOCK_STREAM)
	err := sockopt.SetNil(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 4)
	if !errors.Is(err, unix.EFAULT) {
		t.Fatalf("SetNil = %v, want EFAULT", err)
	}
	var se *os.SyscallError
	if !errors.As(err, &se) || se.Syscall != "setsockopt" {
		t.Fatalf("SetNil error %v does not wrap a setsockopt SyscallError", err)
	}
	// With a zero length the kernel rejects the short value instead.
	if err := sockopt.SetNil(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 0); !errors.Is(err, unix.EINVAL) {
		t.Fatalf("SetNil(0) = %v, want EINVAL", err)
	}
}

// TestSetNilALG uses the form the way it is meant: ALG_SET_AEAD_AUTHSIZE
// on an AF_ALG AEAD socket, where the length is the tag size.
func TestSetNilALG(t *testing.T) {
	fd, err := unix.Socket(unix.AF_ALG, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Skipf("no AF_ALG here: %v", err)
	}
	defer unix.Close(fd)
	if err := unix.Bind(fd, &unix.SockaddrALG{Type: "aead", Name: "gcm(aes)"}); err != nil {
		t.Skipf("no gcm(aes) here: %v", err)
	}
	if err := sockopt.SetNil(fd, unix.SOL_ALG, unix.ALG_SET_AEAD_AUTHSIZE, 16); err != nil {
		t.Fatalf("ALG_SET_AEAD_AUTHSIZE: %v", err)
	}
}

func TestErrorNamesOption(t *testing.T) {
	_, err := sockopt.NoDelay(-1)
	var oe *sockopt.Error
	if !errors.As(err, &oe) || oe.Option != "TCP_NODELAY" || !errors.Is(err, unix.EBADF) {
		t.Fatalf("NoDelay(-1) = %v, want a TCP_NODELAY error wrapping EBADF", err)
	}
	if got, want := err.Error(), "sockopt TCP_NODELAY: getsockopt: bad file descriptor"; got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
}

func TestTCPInfo(t *testing.T) {
	ln := newSocket(t, unix.AF_INET, unix.SOCK_STREAM)
	if err := unix.Bind(ln, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(ln, 1); err != nil {
		t.Fatal(err)
	}
	sa, err := unix.Getsockname(ln)
	if err != nil {
		t.Fatal(err)
	}
	c := newSocket(t, unix.AF_INET, unix.SOCK_STREAM)
	if err := unix.Connect(c, sa); err != nil {
		t.Fatal(err)
	}
	s, _, err := unix.Accept4(ln, unix.SOCK_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(s)
	if _, err := unix.Write(c, []byte("ping")); err != nil {
		t.Fatal(err)
	}
	if _, err := unix.Read(s, make([]byte, 4)); err != nil {
		t.Fatal(err)
	}
	for _, fd := range []int{c, s} {
		ti, err := sockopt.GetTCPInfo(fd)
		if err != nil {
			t.Fatal(err)
		}
		if ti.State != 1 { // TCP_ESTABLISHED
			t.Fatalf("state %d, want 1 (ESTABLISHED)", ti.State)
		}
		if ti.SendMSS == 0 || ti.RTO == 0 {
			t.Fatalf("empty TCP_INFO: %+v", ti)
		}
		if _, ok := ti.Sys.(*unix.TCPInfo); !ok {
			t.Fatalf("Sys is %T, want *unix.TCPInfo", ti.Sys)
		}
	}
}

func TestMulticast4(t *testing.T) {
	fd := newSocket(t, unix.AF_INET, unix.SOCK_DGRAM)
	lo := netip.MustParseAddr("127.0.0.1")
	if err := sockopt.SetMulticastInterface4(fd, lo); err != nil {
		t.Fatal(err)
	}
	if got, err := sockopt.MulticastInterface4(fd); err != nil || got != lo {
		t.Fatalf("MulticastInterface4 = %v, %v; want %v", got, err, lo)
	}
	group := netip.MustParseAddr("239.1.2.3")
	if err := sockopt.JoinGroup4(fd, group, lo); err != nil {
		t.Skipf("the kernel refuses multicast on lo here: %v", err)
	}
	if err := sockopt.JoinGroup4(fd, group, lo); !errors.Is(err, unix.EADDRINUSE) {
		t.Fatalf("second join = %v, want EADDRINUSE", err)
	}
	if err := sockopt.LeaveGroup4(fd, group, lo); err != nil {
		t.Fatal(err)
	}
	if err := sockopt.JoinGroup4(fd, netip.MustParseAddr("::1"), lo); !errors.Is(err, unix.EINVAL) {
		t.Fatalf("join with an IPv6 group = %v, want EINVAL", err)
	}
}

func TestMulticast6(t *testing.T) {
	fd := newSocket(t, unix.AF_INET6, unix.SOCK_DGRAM)
	group := netip.MustParseAddr("ff12::1234")
	const lo = 1
	if err := sockopt.JoinGroup6(fd, group, lo); err != nil {
		t.Skipf("the kernel refuses IPv6 multicast on lo here: %v", err)
	}
	if err := sockopt.LeaveGroup6(fd, group, lo); err != nil {
		t.Fatal(err)
	}
}

func TestSocketState(t *testing.T) {
	ln := newSocket(t, unix.AF_INET, unix.SOCK_STREAM)
	if typ, err := sockopt.Type(ln); err != nil || typ != unix.SOCK_STREAM {
		t.Fatalf("Type = %d, %v", typ, err)
	}
	if d, err := sockopt.Domain(ln); err != nil || d != unix.AF_INET {
		t.Fatalf("Domain = %d, %v", d, err)
	}
	if p, err := sockopt.Protocol(ln); err != nil || p != unix.IPPROTO_TCP {
		t.Fatalf("Protocol = %d, %v", p, err)
	}
	if _, err := sockopt.NoSigpipe(ln); !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("NoSigpipe on Linux = %v, want ErrUnsupported", err)
	}
	if on, err := sockopt.AcceptConn(ln); err != nil || on {
		t.Fatalf("AcceptConn before listen = %v, %v", on, err)
	}
	if err := unix.Bind(ln, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(ln, 1); err != nil {
		t.Fatal(err)
	}
	if on, err := sockopt.AcceptConn(ln); err != nil || !on {
		t.Fatalf("AcceptConn after listen = %v, %v", on, err)
	}
	if e, err := sockopt.SocketError(ln); err != nil || e != 0 {
		t.Fatalf("SocketError = %v, %v", e, err)
	}
}

// TestSocketErrorRefused reads the pending error of a nonblocking connect
// to a loopback port that is bound but not listening.
func TestSocketErrorRefused(t *testing.T) {
	probe := newSocket(t, unix.AF_INET, unix.SOCK_STREAM)
	if err := unix.Bind(probe, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := unix.Getsockname(probe)
	if err != nil {
		t.Fatal(err)
	}
	c := newSocket(t, unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK)
	err = unix.Connect(c, sa)
	if errors.Is(err, unix.ECONNREFUSED) {
		t.Skip("the kernel refused the connect at once; nothing is left pending")
	}
	if !errors.Is(err, unix.EINPROGRESS) {
		t.Fatalf("nonblocking connect: %v", err)
	}
	// Wait, without a timeout, for the connect to finish.
	fds := []unix.PollFd{{Fd: int32(c), Events: unix.POLLOUT}}
	for {
		if _, err := unix.Poll(fds, -1); !errors.Is(err, unix.EINTR) {
			break
		}
	}
	if e, err := sockopt.SocketError(c); err != nil || e != unix.ECONNREFUSED {
		t.Fatalf("SocketError = %v, %v; want ECONNREFUSED", e, err)
	}
	if e, err := sockopt.SocketError(c); err != nil || e != 0 {
		t.Fatalf("SocketError read twice = %v, %v; want it cleared", e, err)
	}
}
