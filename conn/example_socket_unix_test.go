//go:build unix

package conn_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/sockloop/sockloop/conn"
)

// listening opens a TCP socket listening on a loopback port the kernel
// picks, and returns it with its address.
func listening() (*conn.Socket, conn.Addr) {
	s, err := conn.Open(conn.AF_INET, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	if err := s.Bind(conn.Inet4("127.0.0.1", 0)); err != nil {
		log.Fatal(err)
	}
	if err := s.Listen(); err != nil {
		log.Fatal(err)
	}
	addr, err := s.SockName()
	if err != nil {
		log.Fatal(err)
	}
	return s, addr
}

// Accept waits for a connection and returns a socket for it with the
// peer's address.
func ExampleSocket_Accept() {
	ln, addr := listening()
	defer ln.Close()

	go func() {
		c, err := conn.CreateConnection(context.Background(), addr.String(), 5*time.Second, nil)
		if err != nil {
			return
		}
		c.SendAll([]byte("hello"))
		c.Close()
	}()

	c, peer, err := ln.Accept()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	data, _ := c.Recv(16)
	fmt.Println(string(data), peer.Family())
	// Output: hello AF_INET
}

// Connect connects a socket and waits as its mode says: here for at most
// a second.
func ExampleSocket_Connect() {
	ln, addr := listening()
	defer ln.Close()

	s, err := conn.Open(conn.AF_INET, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	s.SetTimeout(time.Second)
	if err := s.Connect(addr); err != nil {
		log.Fatal(err)
	}
	peer, _ := s.PeerName()
	fmt.Println(peer == addr)
	// Output: true
}

// ConnectEx returns the system's error number instead of an error, as
// Python's connect_ex: 0 on success.
func ExampleSocket_ConnectEx() {
	ln, addr := listening()
	port := addr.(conn.Inet4Addr).Port
	ln.Close() // nothing listens on port now

	s, err := conn.Open(conn.AF_INET, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	errno, err := s.ConnectEx(conn.Inet4("127.0.0.1", port))
	fmt.Println(errno == syscall.ECONNREFUSED, err)
	// Output: true <nil>
}

// A failed call returns an *OpError naming the operation and the address,
// which matches the system's error number.
func ExampleOpError() {
	ln, addr := listening()
	ln.Close()

	s, err := conn.Open(conn.AF_INET, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	err = s.Connect(addr)
	var op *conn.OpError
	fmt.Println(errors.As(err, &op), op.Op, errors.Is(err, syscall.ECONNREFUSED))
	// Output: true connect true
}

// Recv returns what arrived, up to a size, in a new slice; an empty slice
// means the peer closed the stream.
func ExampleSocket_Recv() {
	a, b, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	a.SendAll([]byte("last words"))
	a.Close()

	data, _ := b.Recv(1024)
	fmt.Printf("%q\n", data)
	data, _ = b.Recv(1024)
	fmt.Printf("%q\n", data)
	// Output:
	// "last words"
	// ""
}

// RecvInto receives into the caller's buffer, allocating nothing; flags
// such as MSG_PEEK apply as in recv(2).
func ExampleSocket_RecvInto() {
	a, b, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	a.SendAll([]byte("abcdef"))

	buf := make([]byte, 3)
	n, _ := b.RecvInto(buf, conn.MSG_PEEK) // left in the socket
	fmt.Println(string(buf[:n]))
	n, _ = b.RecvInto(buf)
	fmt.Println(string(buf[:n]))
	// Output:
	// abc
	// abc
}

// udpPair opens two UDP sockets bound to loopback ports.
func udpPair() (a, b *conn.Socket, aAddr, bAddr conn.Addr) {
	open := func() (*conn.Socket, conn.Addr) {
		s, err := conn.Open(conn.AF_INET, conn.SOCK_DGRAM, 0)
		if err != nil {
			log.Fatal(err)
		}
		if err := s.Bind(conn.Inet4("127.0.0.1", 0)); err != nil {
			log.Fatal(err)
		}
		addr, _ := s.SockName()
		return s, addr
	}
	a, aAddr = open()
	b, bAddr = open()
	return a, b, aAddr, bAddr
}

// SendTo and RecvFrom move datagrams with their addresses.
func ExampleSocket_RecvFrom() {
	a, b, aAddr, bAddr := udpPair()
	defer a.Close()
	defer b.Close()

	a.SendTo([]byte("datagram"), bAddr)
	data, from, err := b.RecvFrom(64)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(data), from == aAddr)
	// Output: datagram true
}

// SendTo sends a datagram to an address, here one given as Python gives
// it, (host, port), and resolved as it is used.
func ExampleSocket_SendTo() {
	a, b, _, bAddr := udpPair()
	defer a.Close()
	defer b.Close()

	n, err := a.SendTo([]byte("to localhost"), conn.Inet4("localhost", bAddr.(conn.Inet4Addr).Port))
	fmt.Println(n, err)
	data, _ := b.Recv(64)
	fmt.Println(string(data))
	// Output:
	// 12 <nil>
	// to localhost
}

// RecvFromInto receives a datagram into the caller's buffer; with
// MSG_TRUNC the count is the datagram's full size, however much fitted.
func ExampleSocket_RecvFromInto() {
	a, b, _, bAddr := udpPair()
	defer a.Close()
	defer b.Close()

	a.SendTo([]byte("a long datagram"), bAddr)
	buf := make([]byte, 6)
	n, _, err := b.RecvFromInto(buf, conn.MSG_TRUNC)
	fmt.Println(n, string(buf), err)
	// Output: 15 a long <nil>
}

// RecvMsg receives a message and its control data in fresh buffers; the
// flags say whether either was cut short.
func ExampleSocket_RecvMsg() {
	a, b, _, bAddr := udpPair()
	defer a.Close()
	defer b.Close()

	a.SendTo([]byte("0123456789"), bAddr)
	data, anc, flags, _, err := b.RecvMsg(4, 0)
	fmt.Printf("%s %d %v %v\n", data, len(anc), flags&conn.MSG_TRUNC != 0, err)
	// Output: 0123 0 true <nil>
}

// SendMsg gathers several buffers into one message without joining them.
func ExampleSocket_SendMsg() {
	a, b, _, bAddr := udpPair()
	defer a.Close()
	defer b.Close()

	n, err := a.SendMsg([][]byte{[]byte("head|"), []byte("body")}, nil, bAddr)
	fmt.Println(n, err)
	data, _ := b.Recv(64)
	fmt.Println(string(data))
	// Output:
	// 9 <nil>
	// head|body
}

// More buffers than one sendmsg(2) takes fail with a *TooManyBuffersError,
// which matches EMSGSIZE as Python's error does.
func ExampleTooManyBuffersError() {
	a, b, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	defer b.Close()

	bufs := make([][]byte, 5000)
	_, err = a.SendMsg(bufs, nil, nil)
	var tm *conn.TooManyBuffersError
	fmt.Println(errors.As(err, &tm), tm.N, errors.Is(err, syscall.EMSGSIZE))
	// Output: true 5000 true
}

// Send sends what the kernel takes at once; SendAll loops until all of it
// is sent.
func ExampleSocket_SendAll() {
	a, b, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	payload := make([]byte, 1<<20) // more than the socket buffers hold
	go func() {
		defer a.Close()
		n, err := a.SendAll(payload)
		fmt.Println("sent", n, err)
	}()

	n, _ := io.Copy(io.Discard, b) // until the sender has printed and closed
	fmt.Println("received", n)
	// Output:
	// sent 1048576 <nil>
	// received 1048576
}

// Shutdown closes one direction: the peer reads the end of the stream and
// may still answer.
func ExampleSocket_Shutdown() {
	a, b, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	defer b.Close()

	a.SendAll([]byte("request"))
	a.Shutdown(conn.SHUT_WR)
	req, _ := io.ReadAll(b)
	b.SendAll([]byte("answer to " + string(req)))
	ans, _ := a.Recv(64)
	fmt.Println(string(ans))
	// Output: answer to request
}

// SendFile sends a file's bytes with sendfile(2) where it can, as Python's
// socket.sendfile.
func ExampleSocket_SendFile() {
	dir, err := os.MkdirTemp("", "conn")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "f")
	os.WriteFile(path, []byte("from a file"), 0o600)
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()

	a, b, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	n, err := a.SendFile(f, 5, 0) // from offset 5 to the end
	fmt.Println(n, err)
	data, _ := b.Recv(64)
	fmt.Println(string(data))
	// Output:
	// 6 <nil>
	// a file
}

// ReadFrom makes a Socket an io.ReaderFrom: io.Copy from a file sends it
// with SendFile.
func ExampleSocket_ReadFrom() {
	a, b, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	go func() {
		defer a.Close()
		a.ReadFrom(io.LimitReader(zeros{}, 100000))
	}()
	n, _ := io.Copy(io.Discard, b)
	fmt.Println(n)
	// Output: 100000
}

// zeros reads as an endless stream of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// SockName and PeerName return the two ends' addresses.
func ExampleSocket_SockName() {
	ln, addr := listening()
	defer ln.Close()
	c, err := conn.CreateConnection(context.Background(), addr.String(), time.Second, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	local, _ := c.SockName()
	peer, _ := c.PeerName()
	fmt.Println(local.(conn.Inet4Addr).IP, peer == addr)
	// Output: 127.0.0.1 true
}

// SetBlocking(false) makes calls fail at once rather than wait, with an
// error that matches ErrWouldBlock; Blocking and Timeout report the mode.
func ExampleSocket_SetBlocking() {
	a, b, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	defer b.Close()

	fmt.Println(a.Blocking(), a.Timeout() == conn.NoTimeout)
	a.SetBlocking(false)
	fmt.Println(a.Blocking(), a.Timeout())
	_, err = a.Recv(1)
	fmt.Println(errors.Is(err, conn.ErrWouldBlock), errors.Is(err, syscall.EAGAIN))
	// Output:
	// true true
	// false 0s
	// true true
}

// SetDefaultTimeout sets the mode new sockets start in, process-wide.
func ExampleSetDefaultTimeout() {
	old := conn.DefaultTimeout()
	defer conn.SetDefaultTimeout(old)

	conn.SetDefaultTimeout(3 * time.Second)
	s, err := conn.Open(conn.AF_INET, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	fmt.Println(s.Timeout())
	// Output: 3s
}

// GetSockopt and SetSockopt reach any integer option by its typed constant.
func ExampleSocket_SetSockopt() {
	s, err := conn.Open(conn.AF_INET, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	s.SetSockopt(conn.SO_KEEPALIVE, 1)
	v, _ := s.GetSockopt(conn.SO_KEEPALIVE)
	t, _ := s.GetSockopt(conn.SO_TYPE)
	fmt.Println(v, conn.Type(t))
	// Output: 1 SOCK_STREAM
}

// GetSockoptBytes and SetSockoptBytes pass an option's raw bytes, for
// options that are not integers.
func ExampleSocket_GetSockoptBytes() {
	s, err := conn.Open(conn.AF_INET, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	linger := make([]byte, 8) // struct linger: l_onoff, l_linger
	linger[0], linger[4] = 1, 5
	if err := s.SetSockoptBytes(conn.SO_LINGER, linger); err != nil {
		log.Fatal(err)
	}
	b, _ := s.GetSockoptBytes(conn.SO_LINGER, 8)
	fmt.Println(len(b), b[0], b[4])
	// Output: 8 1 5
}

// Dup makes a second Socket for the same connection, with its own
// descriptor: closing one leaves the other open.
func ExampleSocket_Dup() {
	a, b, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	a2, err := a.Dup()
	if err != nil {
		log.Fatal(err)
	}
	a.Close()
	defer a2.Close()

	a2.SendAll([]byte("still connected"))
	data, _ := b.Recv(64)
	fmt.Println(string(data), a2.Fileno() != a.Fileno())
	// Output: still connected true
}

// Detach hands the descriptor to the caller, who owns it from then on, and
// FromFD makes a Socket own a descriptor again.
func ExampleSocket_Detach() {
	a, b, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	fd, err := a.Detach()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Fileno()) // a is closed now

	s, err := conn.FromFD(fd, 0, 0, 0) // family and type read from fd
	if err != nil {
		conn.CloseFD(fd)
		log.Fatal(err)
	}
	defer s.Close()
	fmt.Println(s.Family(), s.Type())
	// Output:
	// -1
	// AF_UNIX SOCK_STREAM
}

// DupFD makes a Socket of a copy of a descriptor the caller keeps, as
// Python's socket.fromfd; here one from package net.
func ExampleDupFD() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	raw, err := ln.(*net.TCPListener).SyscallConn()
	if err != nil {
		log.Fatal(err)
	}
	var s *conn.Socket
	raw.Control(func(fd uintptr) {
		s, err = conn.DupFD(int(fd), conn.AF_INET, conn.SOCK_STREAM, 0)
	})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	addr, _ := s.SockName()
	fmt.Println(addr.String() == ln.Addr().String())
	// Output: true
}

// CloseFD closes a descriptor given by number, one that no Socket owns.
func ExampleCloseFD() {
	a, b, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	fd, _ := a.Detach()
	fmt.Println(conn.CloseFD(fd))
	data, err := b.Recv(1) // the peer is gone: the end of the stream
	fmt.Println(len(data), err)
	// Output:
	// <nil>
	// 0 <nil>
}

// SetInheritable decides whether the descriptor survives exec; sockets are
// opened close-on-exec.
func ExampleSocket_SetInheritable() {
	s, err := conn.Open(conn.AF_INET, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	fmt.Println(s.Inheritable())
	s.SetInheritable(true) // for a child started with exec to use
	fmt.Println(s.Inheritable())
	// Output:
	// false <nil>
	// true <nil>
}

// Listener gives a listening Socket the shape of a net.Listener, for code
// written against package net.
func ExampleSocket_Listener() {
	ln, addr := listening()
	defer ln.Close()
	var l net.Listener = ln.Listener()

	go func() {
		c, err := net.Dial("tcp", addr.String())
		if err != nil {
			return
		}
		c.Write([]byte("via net"))
		c.Close()
	}()
	c, err := l.Accept()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	b, _ := io.ReadAll(c)
	fmt.Println(string(b))
	// Output: via net
}

// PacketConn gives a datagram Socket the shape of a net.PacketConn.
func ExampleSocket_PacketConn() {
	a, b, _, bAddr := udpPair()
	defer a.Close()
	defer b.Close()
	var pc net.PacketConn = b.PacketConn()

	a.SendTo([]byte("packet"), bAddr)
	buf := make([]byte, 64)
	n, _, err := pc.ReadFrom(buf)
	fmt.Println(string(buf[:n]), err)
	// Output: packet <nil>
}

// CreateServer opens, binds and listens in one call, as Python's
// socket.create_server.
func ExampleCreateServer() {
	s, err := conn.CreateServer(context.Background(), "127.0.0.1:0", false)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	reuse, _ := s.GetSockopt(conn.SO_REUSEADDR)
	fmt.Println(s.Family(), s.Type(), reuse)
	// Output: AF_INET SOCK_STREAM 1
}

// String describes a socket as Python's repr does.
func ExampleSocket_String() {
	s, err := conn.Open(conn.AF_INET, conn.SOCK_DGRAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	fmt.Println(s.String() != "")
	// Output: true
}

// RecvFDs receives data and the descriptors sent with it, as Python's
// socket.recv_fds; SendFDs sends them.
func ExampleSocket_RecvFDs() {
	a, b, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	r, w, err := os.Pipe()
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()
	if _, err := a.SendFDs([][]byte{[]byte("here")}, []int{int(r.Fd())}, nil); err != nil {
		log.Fatal(err)
	}
	r.Close()

	data, fds, _, _, err := b.RecvFDs(16, 1)
	if err != nil {
		log.Fatal(err)
	}
	got := os.NewFile(uintptr(fds[0]), "read end")
	defer got.Close()
	w.WriteString("through the copy")
	w.Close()
	text, _ := io.ReadAll(got)
	fmt.Println(string(data), len(fds), string(text))
	// Output: here 1 through the copy
}

// Bind gives a socket its local address; port 0 lets the kernel pick one,
// which SockName then reports. A port taken already fails with EADDRINUSE.
func ExampleSocket_Bind() {
	a, err := conn.Open(conn.AF_INET, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	if err := a.Bind(conn.Inet4("127.0.0.1", 0)); err != nil {
		log.Fatal(err)
	}
	a.Listen()
	addr, _ := a.SockName()
	fmt.Println(addr.(conn.Inet4Addr).Port != 0)

	b, err := conn.Open(conn.AF_INET, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	err = b.Bind(addr)
	fmt.Println(errors.Is(err, syscall.EADDRINUSE))
	// Output:
	// true
	// true
}

// Listen makes a bound stream socket accept connections; the backlog is
// optional.
func ExampleSocket_Listen() {
	s, err := conn.Open(conn.AF_INET, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	s.Bind(conn.Inet4("127.0.0.1", 0))
	fmt.Println(s.Listen(16))
	on, _ := s.GetSockopt(conn.SO_ACCEPTCONN)
	fmt.Println(on)
	// Output:
	// <nil>
	// 1
}

// Send sends what the kernel takes at once and returns how much that was;
// on a stream it may be less than asked, which SendAll handles.
func ExampleSocket_Send() {
	a, b, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	a.SetBlocking(false)

	big := make([]byte, 8<<20) // more than the socket's buffers
	n, err := a.Send(big)
	fmt.Println(n > 0 && n < len(big), err)
	// Output: true <nil>
}

// Deadlines of net.Conn and the Python timeout combine: a call waits until
// the earlier of the two.
func ExampleSocket_SetReadDeadline() {
	a, b, err := conn.Socketpair(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	defer b.Close()

	a.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
	_, err = a.Read(make([]byte, 1))
	fmt.Println(errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, conn.ErrTimeout))
	// Output: true true
}

// FromFD makes a Socket that owns a descriptor opened elsewhere; family,
// type and protocol are read from it when given as 0.
func ExampleFromFD() {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	s, err := conn.FromFD(fd, 0, 0, 0)
	if err != nil {
		syscall.Close(fd)
		log.Fatal(err)
	}
	defer s.Close() // closes fd
	fmt.Println(s.Family(), s.Type(), s.Proto())
	// Output: AF_INET SOCK_DGRAM IPPROTO_UDP
}

// Bad input is a *ValueError, which matches EINVAL; the call never panics.
func ExampleValueError() {
	s, b, err := conn.Socketpair(0, 0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	defer b.Close()
	_, err = s.Recv(-1)
	var ve *conn.ValueError
	fmt.Println(errors.As(err, &ve), errors.Is(err, syscall.EINVAL))
	// Output: true true
}
