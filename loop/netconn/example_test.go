package netconn_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/sockloop/sockloop/loop"
	"github.com/sockloop/sockloop/loop/netconn"
)

// net/http's server, unchanged, on two event loops.
func ExampleListen() {
	ctx, cancel := context.WithCancel(context.Background())
	ln, err := netconn.Listen(ctx, "tcp://127.0.0.1:0", loop.WithLoops(2))
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "Hello from the loops")
	})}
	go srv.Serve(ln)

	client := &http.Client{Transport: &http.Transport{}}
	resp, err := client.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(body))

	client.CloseIdleConnections()
	srv.Shutdown(ctx) // closes ln; the engine stops once its connections have closed
	<-ln.Engine().Done()
	cancel()
	// Output: Hello from the loops
}

// A Handler serves the connections an engine accepts to goroutines that
// Accept them from its Listener.
func ExampleNewHandler() {
	h := netconn.NewHandler(nil)
	e, _ := loop.New(h, loop.WithLoops(1))
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	ln := h.Listener(addr) // before Start
	e.Start(context.Background())
	defer e.Stop(context.Background())

	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		line, _ := bufio.NewReader(c).ReadString('\n')
		io.WriteString(c, strings.ToUpper(line))
	}()

	c, _ := net.Dial("tcp", addr.String())
	defer c.Close()
	io.WriteString(c, "shout\n")
	reply, _ := bufio.NewReader(c).ReadString('\n')
	fmt.Print(reply)
	// Output: SHOUT
}

// sniffer answers PING in its callbacks, on the hot path, and hands any
// other connection to goroutine code with what it has read so far.
type sniffer struct {
	loop.BaseHandler
	h *netconn.Handler
}

func (s *sniffer) OnTraffic(c *loop.Conn) loop.Action {
	head, err := c.Peek(5)
	if err != nil {
		return loop.None // fewer than five bytes yet
	}
	if string(head) == "PING\n" {
		c.Discard(5)
		c.Write([]byte("PONG\n"))
		return loop.None
	}
	go func(nc net.Conn) {
		defer nc.Close()
		line, _ := bufio.NewReader(nc).ReadString('\n')
		fmt.Fprintf(nc, "goroutine got %q\n", line)
	}(s.h.Conn(c))
	return loop.None
}

// Handler.Conn hands one connection from a loop.Handler's callback over to
// goroutine code.
func ExampleHandler_Conn() {
	s := &sniffer{}
	s.h = netconn.NewHandler(s)
	e, _ := loop.New(s.h, loop.WithLoops(1))
	addr, _ := e.Listen("tcp://127.0.0.1:0") // no Listener: the sniffer serves it
	e.Start(context.Background())
	defer e.Stop(context.Background())

	for _, msg := range []string{"PING\n", "HELLO\n"} {
		c, _ := net.Dial("tcp", addr.String())
		io.WriteString(c, msg)
		reply, _ := bufio.NewReader(c).ReadString('\n')
		fmt.Print(reply)
		c.Close()
	}
	// Output:
	// PONG
	// goroutine got "HELLO\n"
}

// Handler.Listener gives goroutine code one of an engine's addresses and
// leaves the others to the loop.Handler.
func ExampleHandler_Listener() {
	h := netconn.NewHandler(echo{}) // the hot path: echo in the callbacks
	e, _ := loop.New(h, loop.WithLoops(1))
	echoAddr, _ := e.Listen("tcp://127.0.0.1:0")
	webAddr, _ := e.Listen("tcp://127.0.0.1:0")
	web := h.Listener(webAddr)
	e.Start(context.Background())
	defer e.Stop(context.Background())
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "web")
	})}
	go srv.Serve(web)
	defer srv.Close()

	c, _ := net.Dial("tcp", echoAddr.String())
	defer c.Close()
	io.WriteString(c, "echo")
	buf := make([]byte, 4)
	io.ReadFull(c, buf)
	fmt.Println(string(buf))

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, _ := client.Get("http://" + webAddr.String() + "/")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(body))
	// Output:
	// echo
	// web
}

type echo struct{ loop.BaseHandler }

func (echo) OnTraffic(c *loop.Conn) loop.Action {
	b, _ := c.Next(-1)
	c.Write(b)
	return loop.None
}

// DialContext has net.Dialer's signature: an http.Transport dials through
// the loops with it.
func ExampleHandler_DialContext() {
	web := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "answered")
	})}
	nl, _ := net.Listen("tcp", "127.0.0.1:0")
	go web.Serve(nl)
	defer web.Close()

	h := netconn.NewHandler(nil)
	e, _ := loop.New(h, loop.WithLoops(1))
	e.Start(context.Background())
	defer e.Stop(context.Background())

	client := &http.Client{Transport: &http.Transport{DialContext: h.DialContext, DisableKeepAlives: true}}
	resp, err := client.Get("http://" + nl.Addr().String() + "/")
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(body))
	// Output: answered
}

// CloseWrite ends the stream the peer reads, as *net.TCPConn's does,
// while the Conn goes on reading its answer.
func ExampleConn_CloseWrite() {
	nl, _ := net.Listen("tcp", "127.0.0.1:0")
	defer nl.Close()
	go func() {
		c, _ := nl.Accept()
		defer c.Close()
		b, _ := io.ReadAll(c) // until the Conn's CloseWrite
		fmt.Fprintf(c, "%d bytes", len(b))
	}()

	h := netconn.NewHandler(nil)
	e, _ := loop.New(h, loop.WithLoops(1))
	e.Start(context.Background())
	defer e.Stop(context.Background())
	c, _ := h.DialContext(context.Background(), "tcp", nl.Addr().String())
	defer c.Close()
	io.WriteString(c, "twelve bytes")
	c.(*netconn.Conn).CloseWrite()
	answer, _ := io.ReadAll(c)
	fmt.Println(string(answer))
	// Output: 12 bytes
}
