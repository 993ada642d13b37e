//go:build unix

// Command fdpass passes open files over a Unix socket with SCM_RIGHTS,
// written with the socket object. It speaks the protocol of Python's
// socket.send_fds and socket.recv_fds, so either side may be Python.
//
//	fdpass -listen PATH
//
// serves on the Unix stream socket PATH: for each message that carries
// descriptors it writes the message's bytes into each of them, closes them
// and replies "ok N" (N descriptors written; a message without any gets
// "ok 0"). A message is what one receive brings with its descriptors: a
// stream has no boundaries, and the kernel sends descriptors with the
// first piece of a large send only (about 36 KB on Linux), so the rest of
// it arrives as messages without any, as it does to CPython's recv_fds. It
// refuses a path where a server listens and replaces a socket file nobody
// listens on; it prints nothing on success, serves until killed and
// removes its socket file on SIGINT or SIGTERM.
//
//	fdpass -dial PATH -file F -msg M
//
// opens F for writing (created or truncated), sends its descriptor with
// the bytes of M in one message, and prints the server's reply. M must
// hold between 1 byte (a stream sends nothing, descriptor included, for
// an empty message) and maxMessage bytes (more would reach the file only
// in part).
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/sockloop/sockloop/conn"
)

// maxFDs is how many descriptors the server takes from one message; the
// kernel closes the others (Linux) or the socket object does (macOS).
const maxFDs = 64

// bufSize bounds one message's data.
const bufSize = 64 << 10

// maxMessage is the longest -msg the client sends: the kernel sends a
// descriptor with the first piece of a stream send only, on Linux up to
// 32 KiB of page fragments and what fits the rest of a page.
const maxMessage = 32 << 10

func main() {
	listen := flag.String("listen", "", "serve on the Unix socket `PATH`")
	dial := flag.String("dial", "", "connect to the Unix socket `PATH`")
	file := flag.String("file", "", "with -dial: the `file` to open for writing and pass")
	msg := flag.String("msg", "", "with -dial: the `message` sent with the descriptor")
	flag.Parse()
	var err error
	switch {
	case *listen != "" && *dial == "":
		err = serveUnix(*listen)
	case *dial != "" && *listen == "" && *file != "":
		if len(*msg) == 0 || len(*msg) > maxMessage {
			fmt.Fprintf(os.Stderr, "fdpass: -msg must hold 1 to %d bytes, not %d: a stream carries descriptors with a message's first piece only\n", maxMessage, len(*msg))
			os.Exit(2)
		}
		err = run(*dial, *file, *msg, os.Stdout)
	default:
		flag.Usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fdpass:", err)
		os.Exit(1)
	}
}

// serveUnix listens on path, replacing a stale socket file left there,
// and serves until accepting fails or a signal ends it.
func serveUnix(path string) error {
	if err := removeStale(path); err != nil {
		return err
	}
	l, err := conn.Open(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	defer l.Close()
	if err := l.Bind(conn.UnixAddr{Path: path}); err != nil {
		return err
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		os.Remove(path)
		os.Exit(0)
	}()
	if err := l.Listen(); err != nil {
		os.Remove(path)
		return err
	}
	return serve(l)
}

// removeStale removes a socket file at path that no server listens on (a
// server killed before it could remove it), and refuses a path where one
// does; anything else at path is left for bind to refuse.
func removeStale(path string) error {
	if st, err := os.Lstat(path); err != nil || st.Mode().Type() != fs.ModeSocket {
		return nil
	}
	probe, err := conn.Open(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	defer probe.Close()
	err = probe.Connect(conn.UnixAddr{Path: path})
	switch {
	case err == nil:
		return fmt.Errorf("listen %s: %w (a server is listening there)", path, syscall.EADDRINUSE)
	case errors.Is(err, syscall.ECONNREFUSED):
		return os.Remove(path)
	}
	return nil
}

// serve accepts connections until the listener fails, each served in its
// own goroutine.
func serve(l *conn.Socket) error {
	for {
		c, _, err := l.Accept()
		if err != nil {
			return err
		}
		go handle(c)
	}
}

// handle answers every message of one connection until the peer closes.
func handle(c *conn.Socket) {
	defer c.Close()
	for {
		data, fds, flags, _, err := c.RecvFDs(bufSize, maxFDs)
		if err != nil {
			closeAll(fds)
			fmt.Fprintln(os.Stderr, "fdpass: recvmsg:", err)
			return
		}
		if len(data) == 0 && len(fds) == 0 {
			return // the peer closed
		}
		if flags&conn.MSG_CTRUNC != 0 {
			fmt.Fprintf(os.Stderr, "fdpass: more than %d descriptors in one message; the rest were closed\n", maxFDs)
		}
		n, werr := writeAll(fds, data)
		if werr != nil {
			fmt.Fprintln(os.Stderr, "fdpass:", werr)
		}
		if _, err := c.SendAll([]byte("ok " + strconv.Itoa(n) + "\n")); err != nil {
			return
		}
	}
}

// writeAll writes data into each descriptor and closes them all; it
// returns how many took the whole message.
func writeAll(fds []int, data []byte) (int, error) {
	var errs []error
	n := 0
	for _, fd := range fds {
		f := os.NewFile(uintptr(fd), "fd "+strconv.Itoa(fd))
		_, err := f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

func closeAll(fds []int) {
	for _, fd := range fds {
		conn.CloseFD(fd)
	}
}

// run is the client: it opens file for writing, sends its descriptor with
// msg to the server at path and writes the server's reply line to out.
func run(path, file, msg string, out io.Writer) error {
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	s, err := conn.Open(conn.AF_UNIX, conn.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Connect(conn.UnixAddr{Path: path}); err != nil {
		return err
	}
	// Data must travel with the descriptor on a stream: the kernel sends
	// nothing for an empty message, and the descriptor with it is lost.
	if _, err := s.SendFDs([][]byte{[]byte(msg)}, []int{int(f.Fd())}, nil); err != nil {
		return err
	}
	reply, err := readLine(s)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(out, string(reply))
	return err
}

// readLine reads the reply up to its newline or the end of the stream.
func readLine(s *conn.Socket) ([]byte, error) {
	var reply []byte
	buf := make([]byte, 256)
	for !bytes.Contains(reply, []byte("\n")) {
		n, err := s.RecvInto(buf)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			if len(reply) == 0 {
				return nil, errors.New("server closed without a reply")
			}
			break
		}
		reply = append(reply, buf[:n]...)
	}
	return bytes.TrimRight(reply, "\r\n"), nil
}
