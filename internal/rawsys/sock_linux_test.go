package rawsys

import (
	"path/filepath"
	"reflect"
	"testing"

	"golang.org/x/sys/unix"
)

// TestAcceptConnectDecode connects with Connect and accepts with Accept4 on
// IPv4, IPv6 and Unix sockets (named and abstract), and checks that the
// peer address decoded here is the one the kernel reports to getpeername.
func TestAcceptConnectDecode(t *testing.T) {
	cases := []struct {
		name   string
		family int
		bind   unix.Sockaddr
	}{
		{"ipv4", unix.AF_INET, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}},
		{"ipv6", unix.AF_INET6, &unix.SockaddrInet6{Addr: [16]byte{15: 1}}},
		{"unix", unix.AF_UNIX, &unix.SockaddrUnix{Name: filepath.Join(t.TempDir(), "s")}},
		{"abstract", unix.AF_UNIX, &unix.SockaddrUnix{Name: "@rawsys-test-" + t.Name()}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := Socket(tc.family, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer unix.Close(ln)
			if err := unix.Bind(ln, tc.bind); err != nil {
				t.Skipf("bind: %v", err)
			}
			if err := unix.Listen(ln, 1); err != nil {
				t.Fatal(err)
			}
			addr, err := unix.Getsockname(ln)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Socket(tc.family, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer unix.Close(c)
			if tc.name == "abstract" {
				// The client binds an abstract name too, so that the
				// accepted peer is not unnamed.
				if err := unix.Bind(c, &unix.SockaddrUnix{Name: "@rawsys-client-" + t.Name()}); err != nil {
					t.Fatal(err)
				}
			}
			if err := Connect(c, addr); err != nil {
				t.Fatalf("Connect: %v", err)
			}
			fd, peer, err := Accept4(ln, unix.SOCK_CLOEXEC)
			if err != nil {
				t.Fatalf("Accept4: %v", err)
			}
			defer unix.Close(fd)
			want, err := unix.Getpeername(fd)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(peer, want) {
				t.Fatalf("Accept4's peer %#v; getpeername says %#v", peer, want)
			}
			if got, err := Getpeername(fd); err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("Getpeername = %#v, %v; x/sys says %#v", got, err, want)
			}
			if err := Shutdown(c, unix.SHUT_WR); err != nil {
				t.Fatal(err)
			}
			if n, err := unix.Read(fd, make([]byte, 1)); n != 0 || err != nil {
				t.Fatalf("read after the peer's shutdown: %d, %v; want the end", n, err)
			}
		})
	}
}

// TestSocketErrorAndOptions reads a refused connect's error with
// SocketError and sets an option with SetsockoptInt.
func TestSocketErrorAndOptions(t *testing.T) {
	ln, err := Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Bind(ln, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	closed, _ := unix.Getsockname(ln)
	unix.Close(ln) // nobody listens there now
	c, err := Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(c)
	if err := SetsockoptInt(c, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1); err != nil {
		t.Fatal(err)
	}
	if v, err := unix.GetsockoptInt(c, unix.IPPROTO_TCP, unix.TCP_NODELAY); v == 0 || err != nil {
		t.Fatalf("TCP_NODELAY after SetsockoptInt: %d, %v", v, err)
	}
	if err := Connect(c, closed); err != unix.EINPROGRESS && err != unix.ECONNREFUSED {
		t.Fatalf("Connect to a closed port: %v", err)
	}
	fds := []unix.PollFd{{Fd: int32(c), Events: unix.POLLOUT}}
	if _, err := unix.Poll(fds, 10000); err != nil {
		t.Fatal(err)
	}
	if errno, err := SocketError(c); err != nil || (errno != unix.ECONNREFUSED && errno != 0) {
		t.Fatalf("SocketError = %v, %v; want ECONNREFUSED", errno, err)
	}
}

// TestEpollCtl adds, modifies and deletes a descriptor, and reports a bare
// errno for one that is not in the set.
func TestEpollCtl(t *testing.T) {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(ep)
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	defer unix.Close(p[0])
	defer unix.Close(p[1])
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(p[0])}
	if err := EpollCtl(ep, unix.EPOLL_CTL_ADD, p[0], &ev); err != nil {
		t.Fatal(err)
	}
	if err := EpollCtl(ep, unix.EPOLL_CTL_MOD, p[0], &ev); err != nil {
		t.Fatal(err)
	}
	if err := EpollCtl(ep, unix.EPOLL_CTL_DEL, p[0], nil); err != nil {
		t.Fatal(err)
	}
	if err := EpollCtl(ep, unix.EPOLL_CTL_DEL, p[0], nil); err != unix.ENOENT {
		t.Fatalf("deleting twice: %v; want ENOENT", err)
	}
}
