package loop_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"

	"github.com/sockloop/sockloop/loop"
)

// serve starts an engine for h with one loop on a loopback port and dials
// it; stop closes the client, then stops the engine.
func serve(h loop.Handler, opts ...loop.Option) (c net.Conn, stop func()) {
	e, err := loop.New(h, append([]loop.Option{loop.WithLoops(1)}, opts...)...)
	if err != nil {
		log.Fatal(err)
	}
	addr, err := e.Listen("tcp://127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	c, err = net.Dial("tcp", addr.String())
	if err != nil {
		log.Fatal(err)
	}
	return c, func() {
		c.Close()
		e.Stop(context.Background())
	}
}

// lengthPrefixed answers each message, framed by a 2-byte big-endian
// length, with its length in decimal.
type lengthPrefixed struct{ loop.BaseHandler }

func (lengthPrefixed) OnTraffic(c *loop.Conn) loop.Action {
	for {
		head, err := c.Peek(2)
		if err != nil {
			return loop.None // io.ErrShortBuffer: the header has not all arrived
		}
		size := int(binary.BigEndian.Uint16(head))
		msg, err := c.Next(2 + size)
		if err != nil {
			return loop.None // the body has not all arrived; nothing was consumed
		}
		fmt.Fprintf(c, "%d ", len(msg)-2)
	}
}

// Next consumes a whole frame or, while part of it is still on its way,
// nothing at all.
func ExampleConn_Next() {
	c, stop := serve(lengthPrefixed{})
	defer stop()

	c.Write([]byte("\x00\x05hello\x00\x0bhello"))
	c.Write([]byte(" world"))
	b := make([]byte, 5)
	io.ReadFull(c, b)
	fmt.Printf("%q\n", b)
	// Output: "5 11 "
}

// commentStripper echoes lines, dropping those that start with '#'
// without looking at more of them than it must.
type commentStripper struct{ loop.BaseHandler }

func (commentStripper) OnTraffic(c *loop.Conn) loop.Action {
	for {
		buf, _ := c.Peek(-1)
		end := bytes.IndexByte(buf, '\n')
		if end < 0 {
			return loop.None
		}
		if buf[0] == '#' {
			c.Discard(end + 1)
			continue
		}
		line, _ := c.Next(end + 1)
		c.Write(line)
	}
}

// Discard drops input the handler has no use for.
func ExampleConn_Discard() {
	c, stop := serve(commentStripper{})
	defer stop()

	c.Write([]byte("# a comment\nkeep this\n"))
	b := make([]byte, 10)
	io.ReadFull(c, b)
	fmt.Printf("%q\n", b)
	// Output: "keep this\n"
}

// collector copies what arrives into a buffer of its own with Read, and
// reports everything once the client has finished sending.
type collector struct {
	loop.BaseHandler
	got chan string
}

func (h collector) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	c.SetContext(new(bytes.Buffer))
	return nil, loop.None
}

func (h collector) OnTraffic(c *loop.Conn) loop.Action {
	var chunk [4]byte
	for {
		n, err := c.Read(chunk[:])
		c.Context().(*bytes.Buffer).Write(chunk[:n])
		if err != nil {
			return loop.None // ErrNoInput: the rest comes with a later call
		}
	}
}

// OnReadEOF runs once the client has finished sending (ReadEOFHandler).
func (h collector) OnReadEOF(c *loop.Conn) loop.Action {
	_, err := c.Read(make([]byte, 1))
	h.got <- fmt.Sprintf("%s (%v)", c.Context().(*bytes.Buffer), err)
	return loop.Close
}

// Read copies input out of the loop's buffer, for code that wants bytes of
// its own: ErrNoInput while more may come, io.EOF once the peer has
// finished sending.
func ExampleConn_Read() {
	h := collector{got: make(chan string, 1)}
	c, stop := serve(h)
	defer stop()

	c.Write([]byte("several "))
	c.Write([]byte("writes"))
	c.(*net.TCPConn).CloseWrite()
	fmt.Println(<-h.got)
	// Output: several writes (EOF)
}

// upper answers each message in upper case, written with fmt: Write copies
// bytes that are not the loop's own input, so the caller may reuse them.
type upper struct{ loop.BaseHandler }

func (upper) OnTraffic(c *loop.Conn) loop.Action {
	msg, _ := c.Next(-1)
	fmt.Fprintf(c, "%s!", bytes.ToUpper(msg))
	return loop.None
}

// Write queues output; the loop sends everything a callback wrote with one
// system call once it returns.
func ExampleConn_Write() {
	c, stop := serve(upper{})
	defer stop()

	c.Write([]byte("hey"))
	b := make([]byte, 4)
	io.ReadFull(c, b)
	fmt.Println(string(b))
	// Output: HEY!
}

// framer answers each message with a header and the message itself, sent
// together without being joined first.
type framer struct{ loop.BaseHandler }

func (framer) OnTraffic(c *loop.Conn) loop.Action {
	msg, _ := c.Next(-1)
	head := fmt.Appendf(nil, "%d:", len(msg))
	c.Writev([][]byte{head, msg, []byte(",")})
	return loop.None
}

// Writev queues several slices at once, the loop's own input by reference.
func ExampleConn_Writev() {
	c, stop := serve(framer{})
	defer stop()

	c.Write([]byte("hello"))
	b := make([]byte, 8)
	io.ReadFull(c, b)
	fmt.Println(string(b))
	// Output: 5:hello,
}

// subscriber keeps each connection where another goroutine can reach it.
type subscriber struct {
	loop.BaseHandler
	conns chan *loop.Conn
}

func (h subscriber) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	h.conns <- c
	return nil, loop.None
}

// AsyncWrite sends from any goroutine: a push to a subscriber. The bytes are
// lent to the loop until the callback says they were written.
func ExampleConn_AsyncWrite() {
	h := subscriber{conns: make(chan *loop.Conn, 1)}
	client, stop := serve(h)
	defer stop()

	conn := <-h.conns
	sent := make(chan error, 1)
	news := []byte("news!")
	conn.AsyncWrite(news, func(c *loop.Conn, err error) { sent <- err })

	b := make([]byte, len(news))
	io.ReadFull(client, b)
	fmt.Println(string(b), <-sent)
	// Output: news! <nil>
}

// reasoned reports why each connection closed.
type reasoned struct {
	loop.BaseHandler
	conns  chan *loop.Conn
	reason chan error
}

func (h reasoned) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	h.conns <- c
	return nil, loop.None
}

func (h reasoned) OnClose(c *loop.Conn, err error) loop.Action {
	h.reason <- err
	return loop.None
}

var errKicked = errors.New("kicked by the operator")

// AsyncClose closes a connection from any goroutine, with a reason that
// OnClose receives.
func ExampleConn_AsyncClose() {
	h := reasoned{conns: make(chan *loop.Conn, 1), reason: make(chan error, 1)}
	client, stop := serve(h)
	defer stop()

	(<-h.conns).AsyncClose(errKicked)
	fmt.Println(<-h.reason)
	_, err := client.Read(make([]byte, 1))
	fmt.Println(err)
	// Output:
	// kicked by the operator
	// EOF
}

// farewell answers "bye" with a last line and closes the connection.
type farewell struct {
	loop.BaseHandler
	reason chan error
}

func (h farewell) OnTraffic(c *loop.Conn) loop.Action {
	msg, _ := c.Next(-1)
	if string(msg) == "bye" {
		c.Write([]byte("see you"))
		c.Close() // after "see you" has been sent
	}
	return loop.None
}

func (h farewell) OnClose(c *loop.Conn, err error) loop.Action {
	h.reason <- err
	return loop.None
}

// Close ends a connection once its queued output has been sent; OnClose
// then receives nil.
func ExampleConn_Close() {
	h := farewell{reason: make(chan error, 1)}
	c, stop := serve(h)
	defer stop()

	c.Write([]byte("bye"))
	b, err := io.ReadAll(c)
	fmt.Printf("%s %v %v\n", b, err, <-h.reason)
	// Output: see you <nil> <nil>
}

// errBadGreeting is why strict closes a connection.
var errBadGreeting = errors.New("bad greeting")

// strict closes any connection that does not start with "HELO".
type strict struct {
	loop.BaseHandler
	reason chan error
}

func (h strict) OnTraffic(c *loop.Conn) loop.Action {
	msg, _ := c.Next(-1)
	if !strings.HasPrefix(string(msg), "HELO") {
		c.Write([]byte("500 who are you?\n"))
		c.CloseWithError(errBadGreeting)
	}
	return loop.None
}

func (h strict) OnClose(c *loop.Conn, err error) loop.Action {
	h.reason <- err
	return loop.None
}

// CloseWithError is Close with a reason of the handler's own for OnClose.
func ExampleConn_CloseWithError() {
	h := strict{reason: make(chan error, 1)}
	c, stop := serve(h)
	defer stop()

	c.Write([]byte("EHLO"))
	b, _ := io.ReadAll(c)
	fmt.Print(string(b))
	fmt.Println(errors.Is(<-h.reason, errBadGreeting))
	// Output:
	// 500 who are you?
	// true
}

// oneShot answers the first message, then half-closes: the client reads to
// the end of the answer and may still send.
type oneShot struct {
	loop.BaseHandler
	after chan string
}

func (h oneShot) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	c.SetContext(false) // answered yet?
	return nil, loop.None
}

func (h oneShot) OnTraffic(c *loop.Conn) loop.Action {
	msg, _ := c.Next(-1)
	if c.Context() == true {
		h.after <- string(msg)
		return loop.Close
	}
	c.SetContext(true)
	c.Write([]byte("the only answer"))
	c.CloseWrite()
	return loop.None
}

// CloseWrite ends the sending side after the queued output (a half-close),
// while the connection goes on reading.
func ExampleConn_CloseWrite() {
	h := oneShot{after: make(chan string, 1)}
	c, stop := serve(h)
	defer stop()

	c.Write([]byte("question"))
	answer, _ := io.ReadAll(c) // until the server's half-close
	fmt.Println(string(answer))
	c.Write([]byte("thanks"))
	fmt.Println(<-h.after)
	// Output:
	// the only answer
	// thanks
}

// counter numbers the messages of each connection, keeping its count with
// the connection.
type counter struct{ loop.BaseHandler }

func (counter) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	c.SetContext(new(int))
	return nil, loop.None
}

func (counter) OnTraffic(c *loop.Conn) loop.Action {
	n := c.Context().(*int)
	*n++
	c.Discard(-1)
	fmt.Fprintf(c, "%d;", *n)
	return loop.None
}

// SetContext keeps per-connection state for the handler; every callback of
// a connection runs on its loop, so the state needs no lock.
func ExampleConn_SetContext() {
	c, stop := serve(counter{})
	defer stop()

	b := make([]byte, 2)
	for _, msg := range []string{"a", "b", "c"} {
		c.Write([]byte(msg))
		io.ReadFull(c, b)
		fmt.Print(string(b))
	}
	fmt.Println()
	// Output: 1;2;3;
}

// mailbox delivers messages that other goroutines leave for a connection:
// Wake has the loop run OnTraffic, which sends what is waiting.
type mailbox struct {
	loop.BaseHandler
	conns chan *loop.Conn
	box   chan string
}

func (h mailbox) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	h.conns <- c
	return nil, loop.None
}

func (h mailbox) OnTraffic(c *loop.Conn) loop.Action {
	c.Discard(-1)
	for {
		select {
		case m := <-h.box:
			c.Write([]byte(m))
		default:
			return loop.None
		}
	}
}

// Wake runs OnTraffic on the connection's loop from any goroutine, with no
// new input: here to send what another goroutine left for it.
func ExampleConn_Wake() {
	h := mailbox{conns: make(chan *loop.Conn, 1), box: make(chan string, 2)}
	client, stop := serve(h)
	defer stop()

	conn := <-h.conns
	h.box <- "you've got "
	h.box <- "mail"
	conn.Wake(nil)
	b := make([]byte, 15)
	io.ReadFull(client, b)
	fmt.Println(string(b))
	// Output: you've got mail
}

// origin tells each connection how it came to be.
type origin struct{ loop.BaseHandler }

func (origin) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	if c.Dialed() {
		return nil, loop.Close
	}
	return []byte("accepted by " + c.Listener().Network()), loop.Close
}

// Dialed tells a connection the engine dialed from one it accepted, as
// Listener tells which listener accepted it.
func ExampleConn_Dialed() {
	c, stop := serve(origin{})
	defer stop()

	b, _ := io.ReadAll(c)
	fmt.Println(string(b))
	// Output: accepted by tcp
}
