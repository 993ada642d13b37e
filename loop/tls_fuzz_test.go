package loop

import (
	"crypto/tls"
	"io"
	"net"
	"testing"
	"time"
)

// FuzzTLSRecords sends arbitrary bytes where records belong, after a
// finished handshake: whatever they are, the server answers with records
// or closes, never hangs or panics, and goes on serving other clients.
func FuzzTLSRecords(f *testing.F) {
	f.Add([]byte{23, 3, 3, 0, 5, 1, 2, 3, 4, 5})                     // a record that does not decrypt
	f.Add([]byte{21, 3, 3, 0, 2, 1, 0})                              // a plaintext close_notify
	f.Add([]byte{22, 3, 3, 0, 4, 24, 0, 0, 1})                       // a plaintext KeyUpdate
	f.Add([]byte{23, 3, 3, 0x48, 1})                                 // a record longer than allowed
	f.Add([]byte{23, 3, 3, 0, 0})                                    // an empty record
	f.Add([]byte("GET / HTTP/1.1\r\n\r\n"))                          // not a record at all
	f.Add(append([]byte{23, 3, 3, 0x40, 0x11}, make([]byte, 64)...)) // cut short
	srv, cli := testTLS(f)
	e := newTestEngine(f, quietEcho{}, WithTLS(srv), WithTLSHandshakeTimeout(time.Second))
	addr, err := e.Listen("tcp://127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	if err := e.Start(f.Context()); err != nil {
		f.Fatal(err)
	}
	defer e.Stop(f.Context())
	f.Fuzz(func(t *testing.T, junk []byte) {
		raw, err := net.Dial("tcp", addr.String())
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		c := tls.Client(raw, cli)
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if err := c.Handshake(); err != nil {
			t.Fatal(err)
		}
		raw.Write(junk)
		raw.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		io.Copy(io.Discard, raw) // an alert and the end, or nothing yet
		raw.Close()
		good := tlsDial(t, addr, cli)
		defer good.Close()
		if err := echoRoundTrip(good, 1, 100); err != nil {
			t.Fatalf("the engine stopped serving after %x: %v", junk, err)
		}
	})
}

// quietEcho echoes and records nothing, for tests that open connections
// without bound.
type quietEcho struct{ BaseHandler }

func (quietEcho) OnTraffic(c *Conn) Action {
	b, _ := c.Next(-1)
	c.Write(b)
	return None
}
