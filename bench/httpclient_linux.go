//go:build linux

package bench

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"time"
)

// httpRecvBuf is each connection's receive buffer: far more than depth
// answers of the plaintext kind (about 130 bytes each) take.
const httpRecvBuf = 8 << 10

// HTTPClient is a pipelining HTTP/1.1 load generator in the manner of wrk
// with a pipeline script: each connection writes depth requests
// "GET / HTTP/1.1\r\nHost: ...\r\n\r\n" in one write and the next batch
// once every response of the last is back. Every response is checked:
// status line "HTTP/1.1 200 OK", a Date and a Content-Type field, and a
// Content-Length that frames exactly the body "Hello, World!"; anything else,
// an extra response or a closed connection fails the run.
//
// The connections and the poller are those of an echo [Client], whose Run is
// never called. Buffers are allocated by DialHTTP; Run allocates nothing. A
// HTTPClient is used by one goroutine at a time.
type HTTPClient struct {
	tcp    *Client // connections, poller, ready list, fd index
	depth  int
	reqs   []byte // depth requests back to back
	reqLen int
	conns  []httpConn
	budget int // requests Run may still send
	done   int // responses Run has checked
	want   int // responses Run waits for
	lat    Latency
}

type httpConn struct {
	fd      int
	buf     []byte // received and not yet checked: buf[:n]
	n       int
	sent    int // bytes of the batch written
	want    int // bytes of the batch
	pending int // responses outstanding
	batch   int // requests in the batch
	writing bool
	sentAt  time.Duration // since tcp.epoch
}

// HelloBody is the body every response must carry.
var HelloBody = []byte("Hello, World!")

// DialHTTP opens conns connections to addr for requests pipelined depth deep.
func DialHTTP(addr netip.AddrPort, conns, depth int) (*HTTPClient, error) {
	tcp, err := Dial(addr, conns, 1, 1)
	if err != nil {
		return nil, err
	}
	req := "GET / HTTP/1.1\r\nHost: " + addr.String() + "\r\n\r\n"
	c := &HTTPClient{
		tcp:    tcp,
		depth:  max(depth, 1),
		reqs:   bytes.Repeat([]byte(req), max(depth, 1)),
		reqLen: len(req),
		conns:  make([]httpConn, len(tcp.conns)),
	}
	bufs := make([]byte, httpRecvBuf*len(tcp.conns))
	for i := range c.conns {
		c.conns[i] = httpConn{fd: tcp.conns[i].fd, buf: bufs[i*httpRecvBuf : (i+1)*httpRecvBuf : (i+1)*httpRecvBuf]}
	}
	return c, nil
}

// Latency returns the batches' round trips, recorded once per request.
func (c *HTTPClient) Latency() *Latency { return &c.lat }

// Run sends n requests spread over the connections and returns once all n
// answers have come back and been checked. It allocates nothing. After an
// error the client is only good for Close.
func (c *HTTPClient) Run(n int) error {
	c.budget, c.done, c.want = n, 0, n
	for i := range c.conns {
		if err := c.refill(&c.conns[i]); err != nil {
			return err
		}
	}
	return c.tcp.serve(c)
}

// The HTTP Run's connEvents.

func (c *HTTPClient) finished() bool         { return c.done >= c.want }
func (c *HTTPClient) writable(i int32) error { return c.flush(&c.conns[i]) }
func (c *HTTPClient) readable(i int32) error { return c.receive(&c.conns[i]) }
func (c *HTTPClient) stalled() error {
	return fmt.Errorf("bench: no response for %v with %d of %d back", stallTimeout, c.done, c.want)
}

// refill writes the next batch once the last one is answered.
func (c *HTTPClient) refill(hc *httpConn) error {
	if hc.pending > 0 {
		return nil
	}
	add := min(c.depth, c.budget)
	if add <= 0 {
		return nil
	}
	c.budget -= add
	hc.pending, hc.batch = add, add
	hc.sent, hc.want = 0, add*c.reqLen
	hc.sentAt = time.Since(c.tcp.epoch)
	return c.flush(hc)
}

// flush writes what is left of the batch, arming write interest if the
// kernel takes less than all of it.
func (c *HTTPClient) flush(hc *httpConn) error {
	for hc.sent < hc.want {
		n, err := writeNow(hc.fd, c.reqs[hc.sent:hc.want])
		if err != nil {
			return err
		}
		hc.sent += n
		if hc.sent < hc.want {
			return c.tcp.armWrite(hc.fd, &hc.writing, true)
		}
	}
	return c.tcp.armWrite(hc.fd, &hc.writing, false)
}

// receive reads once, checks every whole response and refills the pipeline.
func (c *HTTPClient) receive(hc *httpConn) error {
	n, err := readNow(hc.fd, hc.buf[hc.n:])
	if n < 0 || err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("bench: server closed a connection with %d responses outstanding", hc.pending)
	}
	hc.n += n
	off := 0
	for off < hc.n {
		m, err := checkResponse(hc.buf[off:hc.n])
		if err != nil {
			return fmt.Errorf("fd %d: %w", hc.fd, err)
		}
		if m == 0 {
			break
		}
		if hc.pending == 0 {
			return fmt.Errorf("bench: fd %d: a response to no request: %q", hc.fd, hc.buf[off:off+m])
		}
		off += m
		hc.pending--
		c.done++
	}
	hc.n = copy(hc.buf, hc.buf[off:hc.n])
	if hc.n == len(hc.buf) {
		return fmt.Errorf("bench: fd %d: %d bytes hold no whole response", hc.fd, hc.n)
	}
	if hc.pending == 0 {
		c.lat.Record(time.Since(c.tcp.epoch)-hc.sentAt, hc.batch)
	}
	return c.refill(hc)
}

// Close closes every connection (with a reset) and the poller.
func (c *HTTPClient) Close() error { return c.tcp.Close() }

// errBadResponse reports a response other than the plaintext answer.
var errBadResponse = errors.New("bench: unexpected HTTP response")

var (
	statusOK   = []byte("HTTP/1.1 200 OK\r\n")
	crlf       = []byte("\r\n")
	headEnd    = []byte("\r\n\r\n")
	fieldCL    = []byte("Content-Length")
	fieldDate  = []byte("Date")
	fieldCType = []byte("Content-Type")
)

// checkResponse checks the response at the start of b and returns its length,
// or 0 if b does not hold all of it yet. It allocates only to report an
// error.
func checkResponse(b []byte) (int, error) {
	end := bytes.Index(b, headEnd)
	if end < 0 {
		if len(b) >= len(statusOK) && !bytes.HasPrefix(b, statusOK) {
			return 0, fmt.Errorf("%w: status line %q", errBadResponse, firstLine(b))
		}
		return 0, nil
	}
	if !bytes.HasPrefix(b, statusOK) {
		return 0, fmt.Errorf("%w: status line %q", errBadResponse, firstLine(b))
	}
	length, date, ctype := -1, false, false
	for fields := b[len(statusOK) : end+2]; len(fields) > 0; {
		i := bytes.Index(fields, crlf)
		line := fields[:i]
		fields = fields[i+2:]
		colon := bytes.IndexByte(line, ':')
		if colon < 0 {
			return 0, fmt.Errorf("%w: field line %q", errBadResponse, line)
		}
		name, value := line[:colon], bytes.TrimLeft(line[colon+1:], " \t")
		switch {
		case bytes.EqualFold(name, fieldCL):
			v, ok := atoi(value)
			if !ok || length >= 0 {
				return 0, fmt.Errorf("%w: Content-Length %q", errBadResponse, value)
			}
			length = v
		case bytes.EqualFold(name, fieldDate):
			date = len(value) > 0
		case bytes.EqualFold(name, fieldCType):
			ctype = len(value) > 0
		}
	}
	if length != len(HelloBody) || !date || !ctype {
		return 0, fmt.Errorf("%w: head %q", errBadResponse, b[:end])
	}
	body := end + len(headEnd)
	if len(b) < body+length {
		return 0, nil
	}
	if !bytes.Equal(b[body:body+length], HelloBody) {
		return 0, fmt.Errorf("%w: body %q", errBadResponse, b[body:body+length])
	}
	return body + length, nil
}

// atoi parses a short decimal without allocating.
func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	v := 0
	for _, ch := range b {
		if ch < '0' || ch > '9' {
			return 0, false
		}
		v = v*10 + int(ch-'0')
	}
	return v, true
}

// firstLine returns b up to its first CRLF, at most 80 bytes.
func firstLine(b []byte) []byte {
	if i := bytes.Index(b, crlf); i >= 0 {
		b = b[:i]
	}
	return b[:min(len(b), 80)]
}
