package loop_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"math/big"
	"net"
	"time"

	"github.com/sockloop/sockloop/loop"
)

// exampleTLS returns a server config with a fresh self-signed certificate
// for 127.0.0.1 and a client config that trusts it; a real server loads
// its certificate with tls.LoadX509KeyPair.
func exampleTLS() (server, client *tls.Config) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	leaf, _ := x509.ParseCertificate(der)
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	return server, &tls.Config{RootCAs: roots}
}

// WithTLS serves every listener over TLS; the handler is the plain echo
// and sees plaintext.
func ExampleWithTLS() {
	server, client := exampleTLS()
	addr, stop := startExample(echo{}, loop.WithTLS(server))
	defer stop()

	c, err := tls.Dial("tcp", addr, client)
	if err != nil {
		panic(err)
	}
	defer c.Close()
	c.Write([]byte("hello over TLS"))
	buf := make([]byte, 14)
	io.ReadFull(c, buf)
	fmt.Println(string(buf), tls.VersionName(c.ConnectionState().Version))
	// Output: hello over TLS TLS 1.3
}

// WithListenerTLS serves TLS on one listener of an engine that serves
// plain TCP on another.
func ExampleWithListenerTLS() {
	server, client := exampleTLS()
	e, _ := loop.New(echo{}, loop.WithLoops(1))
	plainAddr, _ := e.Listen("tcp://127.0.0.1:0")
	tlsAddr, _ := e.Listen("tcp://127.0.0.1:0", loop.WithListenerTLS(server))
	e.Start(context.Background())
	defer e.Stop(context.Background())

	plain, _ := net.Dial("tcp", plainAddr.String())
	defer plain.Close()
	secure, _ := tls.Dial("tcp", tlsAddr.String(), client)
	defer secure.Close()
	for _, c := range []net.Conn{plain, secure} {
		c.Write([]byte("ping"))
		buf := make([]byte, 4)
		io.ReadFull(c, buf)
		fmt.Println(string(buf))
	}
	// Output:
	// ping
	// ping
}

// WithTLSHandshakeTimeout closes a client that never finishes its
// handshake; the handler never hears of it, the counters do.
func ExampleWithTLSHandshakeTimeout() {
	server, _ := exampleTLS()
	e, _ := loop.New(echo{}, loop.WithLoops(1), loop.WithTLS(server), loop.WithTLSHandshakeTimeout(100*time.Millisecond))
	addr, _ := e.Listen("tcp://127.0.0.1:0")
	e.Start(context.Background())
	defer e.Stop(context.Background())

	silent, _ := net.Dial("tcp", addr.String())
	defer silent.Close()
	_, err := silent.Read(make([]byte, 1)) // the server closes it
	for e.Stats().TLSHandshakeFailures == 0 {
		time.Sleep(time.Millisecond) // the counters follow the loop's turn
	}
	fmt.Println(err, e.Stats().TLSHandshakeFailures, e.Stats().ClosedTimeout)
	// Output: EOF 1 1
}

// WithTLSPlaintextReply answers a client that speaks no TLS, here a plain
// HTTP request sent to the TLS port, in the clear before a clean close.
func ExampleWithTLSPlaintextReply() {
	server, _ := exampleTLS()
	reply := []byte("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n")
	addr, stop := startExample(echo{}, loop.WithTLS(server), loop.WithTLSPlaintextReply(reply))
	defer stop()

	c, _ := net.Dial("tcp", addr)
	defer c.Close()
	c.Write([]byte("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
	b, err := io.ReadAll(c)
	fmt.Printf("%q %v\n", b, err)
	// Output: "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n" <nil>
}

// tlsGreeter says hello once its dial's handshake is done, prints the
// answer and closes.
type tlsGreeter struct {
	loop.BaseHandler
	done chan string
}

func (g tlsGreeter) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	st, _ := c.TLSConnectionState()
	return []byte("hello from " + tls.VersionName(st.Version)), loop.None
}

func (g tlsGreeter) OnTraffic(c *loop.Conn) loop.Action {
	if b, err := c.Next(-1); err == nil && len(b) > 0 {
		g.done <- string(b)
	}
	return loop.Close
}

// Engine.DialTLS connects to a TLS server, here an echo on crypto/tls:
// OnOpen runs once the handshake has finished.
func ExampleEngine_DialTLS() {
	server, client := exampleTLS()
	ln, _ := tls.Listen("tcp", "127.0.0.1:0", server)
	defer ln.Close()
	go func() {
		c, _ := ln.Accept()
		defer c.Close()
		buf := make([]byte, 64)
		n, _ := c.Read(buf)
		c.Write(buf[:n])
	}()

	g := tlsGreeter{done: make(chan string, 1)}
	e, _ := loop.New(g, loop.WithLoops(1))
	e.Start(context.Background())
	defer e.Stop(context.Background())
	if _, err := e.DialTLS(context.Background(), "tcp", ln.Addr().String(), client, nil); err != nil {
		panic(err)
	}
	fmt.Println(<-g.done)
	// Output: hello from TLS 1.3
}

// Loop.DialTLS dials from the loop's goroutine, as a proxy's second leg
// does; what is written before the handshake ends leaves after it, and so
// does the close_notify of a CloseWrite.
func ExampleLoop_DialTLS() {
	server, client := exampleTLS()
	ln, _ := tls.Listen("tcp", "127.0.0.1:0", server)
	defer ln.Close()
	got := make(chan string, 1)
	go func() {
		c, _ := ln.Accept()
		defer c.Close()
		b, _ := io.ReadAll(c)
		got <- string(b)
	}()

	e, _ := loop.New(loop.BaseHandler{}, loop.WithLoops(1))
	e.Start(context.Background())
	defer e.Stop(context.Background())
	l := e.Loops()[0]
	l.Submit(func() {
		c, err := l.DialTLS(context.Background(), "tcp", ln.Addr().String(), client, nil)
		if err != nil {
			panic(err)
		}
		c.Write([]byte("written before the handshake"))
		c.CloseWrite()
	})
	fmt.Println(<-got)
	// Output: written before the handshake
}

// starttls upgrades a plain connection when the client asks, as SMTP's
// STARTTLS does, and echoes from then on.
type starttls struct {
	loop.BaseHandler
	cfg *tls.Config
}

func (s starttls) OnTraffic(c *loop.Conn) loop.Action {
	if _, secure := c.TLSConnectionState(); secure || c.Context() != nil {
		b, _ := c.Next(-1)
		c.Write(b)
		return loop.None
	}
	if cmd, err := c.Next(9); err == nil && string(cmd) == "STARTTLS\n" {
		c.Write([]byte("GO\n")) // in the clear: written before the switch
		c.SetContext("tls")
		c.StartTLS(s.cfg, true)
	}
	return loop.None
}

// StartTLS switches a plain connection to TLS mid-stream.
func ExampleConn_StartTLS() {
	server, client := exampleTLS()
	addr, stop := startExample(starttls{cfg: server})
	defer stop()

	raw, _ := net.Dial("tcp", addr)
	defer raw.Close()
	raw.Write([]byte("STARTTLS\n"))
	ok := make([]byte, 3)
	io.ReadFull(raw, ok)
	client.ServerName = "127.0.0.1"
	c := tls.Client(raw, client)
	c.Write([]byte("secret"))
	buf := make([]byte, 6)
	io.ReadFull(c, buf)
	fmt.Printf("%q then %q\n", ok, buf)
	// Output: "GO\n" then "secret"
}

// alpnHandler answers with the protocol the handshake agreed on.
type alpnHandler struct{ loop.BaseHandler }

func (alpnHandler) OnOpen(c *loop.Conn) ([]byte, loop.Action) {
	st, ok := c.TLSConnectionState()
	return []byte(fmt.Sprintf("%v %s\n", ok, st.NegotiatedProtocol)), loop.Close
}

// TLSConnectionState tells the handler what the handshake agreed on:
// here the ALPN protocol.
func ExampleConn_TLSConnectionState() {
	server, client := exampleTLS()
	server.NextProtos = []string{"h2", "http/1.1"}
	client.NextProtos = []string{"http/1.1"}
	addr, stop := startExample(alpnHandler{}, loop.WithTLS(server))
	defer stop()

	c, _ := tls.Dial("tcp", addr, client)
	defer c.Close()
	b, _ := io.ReadAll(c)
	fmt.Print(string(b))
	// Output: true http/1.1
}

// startExample serves h on a loopback port with one loop and returns the
// address and a stop.
func startExample(h loop.Handler, opts ...loop.Option) (addr string, stop func()) {
	e, err := loop.New(h, append([]loop.Option{loop.WithLoops(1)}, opts...)...)
	if err != nil {
		panic(err)
	}
	a, err := e.Listen("tcp://127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	if err := e.Start(context.Background()); err != nil {
		panic(err)
	}
	return a.String(), func() { e.Stop(context.Background()) }
}

// WithTLSHandshakeConcurrency bounds the handshakes computing at once, so
// that a flood of new connections waits its turn behind the established
// ones rather than ahead of them.
func ExampleWithTLSHandshakeConcurrency() {
	server, client := exampleTLS()
	addr, stop := startExample(echo{}, loop.WithTLS(server), loop.WithTLSHandshakeConcurrency(1))
	defer stop()

	done := make(chan error, 3)
	for range 3 { // one at a time, each in its turn
		go func() {
			c, err := tls.Dial("tcp", addr, client)
			if err == nil {
				c.Close()
			}
			done <- err
		}()
	}
	for range 3 {
		fmt.Println(<-done)
	}
	// Output:
	// <nil>
	// <nil>
	// <nil>
}
