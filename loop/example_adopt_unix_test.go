//go:build unix

package loop_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/loop"
)

// started makes an engine serving echo on one loop and starts it; the
// caller stops it.
func started(h loop.Handler, opts ...loop.Option) *loop.Engine {
	e, err := loop.New(h, append([]loop.Option{loop.WithLoops(1)}, opts...)...)
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	return e
}

// echoOnce sends msg on c and returns what comes back.
func echoOnce(c net.Conn, msg string) string {
	c.Write([]byte(msg))
	b := make([]byte, len(msg))
	io.ReadFull(c, b)
	return string(b)
}

// Adopt serves a connected socket given by its descriptor, such as one
// end of a socketpair shared with a child process.
func ExampleEngine_Adopt() {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	e := started(echo{})
	defer e.Stop(context.Background())
	if _, err := e.Adopt(fds[0], nil); err != nil { // the engine owns fds[0] now
		log.Fatal(err)
	}

	f := os.NewFile(uintptr(fds[1]), "the other end")
	peer, err := net.FileConn(f)
	f.Close()
	if err != nil {
		log.Fatal(err)
	}
	defer peer.Close()
	fmt.Println(echoOnce(peer, "adopted"))
	// Output: adopted
}

// AdoptConn takes a connection over from package net: here one accepted
// by a net.Listener, as a server might after reading a preamble with net.
func ExampleEngine_AdoptConn() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	e := started(echo{})
	defer e.Stop(context.Background())

	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	nc, err := ln.Accept()
	if err != nil {
		log.Fatal(err)
	}
	if _, err := e.AdoptConn(nc, nil); err != nil { // closes nc; the engine serves a duplicate
		log.Fatal(err)
	}
	fmt.Println(echoOnce(client, "taken over"))
	// Output: taken over
}

// ListenFD serves a listening socket by its descriptor: one inherited from
// the process that ran before a restart, say. The engine owns it from then
// on.
func ExampleEngine_ListenFD() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	f, err := ln.(*net.TCPListener).File() // as a parent hands it down
	ln.Close()
	if err != nil {
		log.Fatal(err)
	}
	fd, err := unix.Dup(int(f.Fd()))
	f.Close()
	if err != nil {
		log.Fatal(err)
	}

	e, err := loop.New(echo{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	addr, err := e.ListenFD(fd)
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	c, err := net.Dial("tcp", addr.String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	fmt.Println(echoOnce(c, "inherited"))
	// Output: inherited
}

// ListenNetPacket serves a UDP socket made by package net; each datagram
// reaches OnTraffic, and Write answers its sender.
func ExampleEngine_ListenNetPacket() {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	e, err := loop.New(echo{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	addr, err := e.ListenNetPacket(pc)
	pc.Close() // the engine serves its own duplicate
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	c, err := net.Dial("udp", addr.String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	fmt.Println(echoOnce(c, "datagram"))
	// Output: datagram
}

// ListenSystemd serves the sockets of systemd's socket activation, and
// returns none when the process was started otherwise, so that a server
// can fall back to listening by itself.
func ExampleEngine_ListenSystemd() {
	e, err := loop.New(echo{})
	if err != nil {
		log.Fatal(err)
	}
	addrs, err := e.ListenSystemd()
	if err != nil {
		log.Fatal(err)
	}
	if len(addrs) == 0 { // not socket-activated
		if _, err := e.Listen("tcp://127.0.0.1:0"); err != nil {
			log.Fatal(err)
		}
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	e.Stop(context.Background())
}

// fileReader answers each descriptor a client passes with what it reads
// from it.
type fileReader struct{ loop.BaseHandler }

func (fileReader) OnTraffic(c *loop.Conn) loop.Action {
	c.Discard(-1)
	for _, fd := range c.TakeFDs() { // ours to close now
		f := os.NewFile(uintptr(fd), "passed")
		b, _ := io.ReadAll(f)
		f.Close()
		c.Write(b)
	}
	return loop.None
}

// TakeFDs hands over the descriptors that arrived with the current input
// of a Unix connection (WithAncillary); those not taken are closed.
func ExampleConn_TakeFDs() {
	dir, err := os.MkdirTemp("", "sockloop")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	e, err := loop.New(fileReader{}, loop.WithLoops(1), loop.WithAncillary(true))
	if err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(dir, "fd.sock")
	if _, err := e.Listen("unix://" + path); err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	r, w, err := os.Pipe()
	if err != nil {
		log.Fatal(err)
	}
	const msg = "read through a passed pipe"
	w.WriteString(msg)
	w.Close()
	c, err := net.Dial("unix", path)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	_, _, err = c.(*net.UnixConn).WriteMsgUnix([]byte("!"), unix.UnixRights(int(r.Fd())), nil)
	r.Close() // the server holds its own copy now
	if err != nil {
		log.Fatal(err)
	}
	b := make([]byte, len(msg))
	io.ReadFull(c, b)
	fmt.Println(string(b))
	// Output: read through a passed pipe
}

// fileGiver passes every new client the read end of a pipe.
type fileGiver struct{ loop.BaseHandler }

func (fileGiver) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, loop.Close
	}
	w.WriteString("a pipe from the server")
	w.Close()
	err = c.SendFDs([]byte("!"), int(r.Fd())) // sends a duplicate
	r.Close()
	if err != nil {
		return nil, loop.Close
	}
	return nil, loop.None
}

// SendFDs queues bytes with descriptors attached (SCM_RIGHTS) on a Unix
// connection, in order with the rest of the output.
func ExampleConn_SendFDs() {
	dir, err := os.MkdirTemp("", "sockloop")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	e, err := loop.New(fileGiver{}, loop.WithLoops(1))
	if err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(dir, "fd.sock")
	if _, err := e.Listen("unix://" + path); err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer e.Stop(context.Background())

	c, err := net.Dial("unix", path)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	oob := make([]byte, unix.CmsgSpace(4))
	_, oobn, _, _, err := c.(*net.UnixConn).ReadMsgUnix(make([]byte, 1), oob)
	if err != nil {
		log.Fatal(err)
	}
	msgs, _ := unix.ParseSocketControlMessage(oob[:oobn])
	fds, _ := unix.ParseUnixRights(&msgs[0])
	f := os.NewFile(uintptr(fds[0]), "received")
	defer f.Close()
	b, _ := io.ReadAll(f)
	fmt.Println(string(b))
	// Output: a pipe from the server
}
