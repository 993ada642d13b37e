package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/resp"
	"github.com/sockloop/sockloop/examples/internal/exampletest"
	"github.com/sockloop/sockloop/loop"
)

// TestCommandLine builds the example, serves on a free port and checks every
// command, pipelined and one by one, with a Go RESP client, then that the
// server exits quietly on SIGINT.
func TestCommandLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	addr := exampletest.FreePort(t)
	srv := exampletest.Start(t, "-addr", addr, "-loops", "2")

	c := exampletest.DialRetry(t, addr)
	defer c.Close()
	br := bufio.NewReader(c)
	// Each case is sent one by one, then all of them again as one pipeline.
	cases := []struct{ cmd, want string }{
		{"PING", "+PONG"},
		{"ping hello", "$5 hello"},
		{"ECHO hi", "$2 hi"},
		{"DEL k n", ":0"},
		{"GET k", "$-1"},
		{"SET k value", "+OK"},
		{"get k", "$5 value"},
		{"SET k other", "+OK"},
		{"GET k", "$5 other"},
		{"EXISTS k k missing", ":2"},
		{"INCR n", ":1"},
		{"INCR n", ":2"},
		{"INCR k", "-ERR value is not an integer or out of range"},
		{"SET n 9223372036854775807", "+OK"},
		{"INCR n", "-ERR increment or decrement would overflow"},
		{"DEL k n missing", ":2"},
		{"EXISTS k", ":0"},
		{"GET", "-ERR wrong number of arguments for 'get' command"},
		{"Set k", "-ERR wrong number of arguments for 'set' command"},
		{"ECHO", "-ERR wrong number of arguments for 'echo' command"},
		{"DEL", "-ERR wrong number of arguments for 'del' command"},
		{"INCR a b", "-ERR wrong number of arguments for 'incr' command"},
		{"foo a b", "-ERR unknown command 'foo', with args beginning with: 'a' 'b' "},
		{"FOO", "-ERR unknown command 'FOO', with args beginning with: "},
		{"COMMAND DOCS", "*0"},
		{"CONFIG GET save", "*2 $4 save $0 "},
		{"CONFIG GET nothing", "*0"},
	}
	var all bytes.Buffer
	for _, tc := range cases {
		req := command(tc.cmd)
		c.Write(req)
		all.Write(req)
		if got := readReply(t, br); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.cmd, got, tc.want)
		}
	}
	b := all.Bytes()
	c.Write(b[:len(b)/2+3]) // split mid-command
	c.Write(b[len(b)/2+3:])
	for _, tc := range cases {
		if got := readReply(t, br); got != tc.want {
			t.Errorf("pipelined %s: got %q, want %q", tc.cmd, got, tc.want)
		}
	}
	// Inline commands, as telnet sends them.
	fmt.Fprint(c, "SET inline 12\r\nINCR inline\r\n")
	for _, want := range []string{"+OK", ":13"} {
		if got := readReply(t, br); got != want {
			t.Errorf("inline: got %q, want %q", got, want)
		}
	}

	// The key space is shared: another connection (on the other loop, in
	// turn) sees the first one's writes.
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := exampletest.DialRetry(t, addr)
			defer c.Close()
			br := bufio.NewReader(c)
			var batch bytes.Buffer
			for range 100 {
				batch.Write(command("INCR shared"))
			}
			batch.Write(command(fmt.Sprintf("GET k%d", i)))
			c.Write(batch.Bytes())
			for range 100 {
				if got := readReply(t, br); !strings.HasPrefix(got, ":") {
					t.Errorf("INCR shared: %q", got)
				}
			}
			readReply(t, br)
		}()
	}
	wg.Wait()
	c.Write(command("GET shared"))
	if got := readReply(t, br); got != "$3 400" {
		t.Errorf("GET shared after 4×100 INCR: %q, want 400", got)
	}

	// QUIT answers, then closes.
	c.Write(command("QUIT"))
	if got := readReply(t, br); got != "+OK" {
		t.Errorf("QUIT: %q", got)
	}
	if _, err := br.ReadByte(); err == nil {
		t.Errorf("connection open after QUIT")
	}
	// A protocol error is reported, then the connection closes.
	c2 := exampletest.DialRetry(t, addr)
	defer c2.Close()
	fmt.Fprint(c2, "*1\r\n$x\r\n")
	br2 := bufio.NewReader(c2)
	if got := readReply(t, br2); !strings.HasPrefix(got, "-ERR Protocol error") {
		t.Errorf("protocol error: %q", got)
	}
	if _, err := br2.ReadByte(); err == nil {
		t.Errorf("connection open after a protocol error")
	}
	checkLongCommandsInterleaved(t, addr)

	srv.StopQuietly(t)
}

// TestBackend refuses a backend name it does not know and serves on
// io_uring (where the kernel refuses it, the engine runs on epoll instead).
func TestBackend(t *testing.T) {
	srv, c := exampletest.StartIOURing(t)
	br := bufio.NewReader(c)
	c.Write(append(command("SET k v"), command("GET k")...))
	if got := readReply(t, br); got != "+OK" {
		t.Errorf("SET: %q", got)
	}
	if got := readReply(t, br); got != "$1 v" {
		t.Errorf("GET: %q", got)
	}
	checkLongCommandsInterleaved(t, c.RemoteAddr().String())
	srv.StopQuietly(t)
}

// checkLongCommandsInterleaved sends two commands of many elements on two
// connections, a piece of each in turn, and checks both replies: each
// connection's command is read whole, whatever the other sent meanwhile.
func checkLongCommandsInterleaved(t *testing.T, addr string) {
	t.Helper()
	const keys = 20000
	var cs [2]net.Conn
	var cmds [2][]byte
	for i := range cs {
		cs[i] = exampletest.DialRetry(t, addr)
		defer cs[i].Close()
		cs[i].SetReadDeadline(time.Now().Add(20 * time.Second))
		words := []string{"EXISTS"}
		for k := range keys {
			words = append(words, fmt.Sprintf("c%d-%d", i, k))
		}
		cmds[i] = command(strings.Join(words, " "))
		cs[i].Write(command(fmt.Sprintf("SET c%d-7 x", i)))
		if got := readReply(t, bufio.NewReader(cs[i])); got != "+OK" {
			t.Fatalf("SET: %q", got)
		}
	}
	for off := 0; off < len(cmds[0]) || off < len(cmds[1]); off += 1000 {
		for i, c := range cs {
			if off < len(cmds[i]) {
				c.Write(cmds[i][off:min(off+1000, len(cmds[i]))])
			}
		}
	}
	for _, c := range cs {
		if got := readReply(t, bufio.NewReader(c)); got != ":1" {
			t.Errorf("EXISTS of %d keys, one set: %q, want :1", keys, got)
		}
	}
}

func TestParseInt(t *testing.T) {
	for in, want := range map[string]bool{
		"0": true, "-1": true, "42": true, "9223372036854775807": true, "-9223372036854775808": true,
		"": false, "-": false, "-0": false, "01": false, "+1": false, " 1": false, "1x": false,
		"9223372036854775808": false, "-9223372036854775809": false, "99999999999999999999": false,
	} {
		if _, ok := parseInt([]byte(in)); ok != want {
			t.Errorf("parseInt(%q) ok = %v, want %v", in, ok, want)
		}
	}
}

// command encodes a space-separated command as an array of bulk strings.
func command(s string) []byte {
	var args [][]byte
	for _, f := range strings.Fields(s) {
		args = append(args, []byte(f))
	}
	return resp.AppendCommand(nil, args...)
}

// readReply reads one reply and renders it compactly: the type byte and line
// of each part, bulk strings as "$len text", separated by spaces.
func readReply(t *testing.T, br *bufio.Reader) string {
	t.Helper()
	line, err := br.ReadString('\n')
	if err != nil {
		t.Fatalf("reading reply: %v", err)
	}
	line = strings.TrimSuffix(line, "\r\n")
	switch line[0] {
	case '$':
		var n int
		fmt.Sscanf(line[1:], "%d", &n)
		if n < 0 {
			return line
		}
		b := make([]byte, n+2)
		if _, err := io.ReadFull(br, b); err != nil {
			t.Fatalf("reading bulk: %v", err)
		}
		return fmt.Sprintf("$%d %s", n, b[:n])
	case '*':
		var n int
		fmt.Sscanf(line[1:], "%d", &n)
		parts := []string{line}
		for range n {
			parts = append(parts, readReply(t, br))
		}
		return strings.Join(parts, " ")
	}
	return line
}

// BenchmarkServe measures the handler's per-command cost on an in-memory
// reader: a 16-deep pipeline of redis-benchmark's SET, GET, INCR and PING,
// decoded and answered into the loop's reused buffer. It should report 0
// allocs/op once the keys exist.
func BenchmarkServe(b *testing.B) {
	var batch []byte
	for range 4 {
		batch = append(batch, command("SET key:000000000001 xxx")...)
		batch = append(batch, command("GET key:000000000001")...)
		batch = append(batch, command("INCR counter:000000000001")...)
		batch = append(batch, command("PING")...)
	}
	const depth = 16
	s := &server{db: newStore()}
	ls := &loopState{}
	r := codec.NewBytesReader(nil)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%depth == 0 {
			r.Reset(batch)
			out, closing := s.serve(r, ls, ls.out[:0])
			if closing || len(out) == 0 {
				b.Fatal("bad serve")
			}
			ls.out = out
		}
	}
}

// BenchmarkLoopback runs the handler on an in-process engine and a loopback
// client that sends 16-deep pipelines of SET, GET, INCR and PING; allocs/op
// counts both sides per command, and should be 0 once the keys exist.
func BenchmarkLoopback(b *testing.B) {
	e, err := loop.New(&server{db: newStore()}, loop.WithLoops(1))
	if err != nil {
		b.Fatal(err)
	}
	a, err := e.Listen("tcp://127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer e.Stop(context.Background())
	c, err := net.Dial("tcp", a.String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	const depth = 16
	var batch []byte
	for range depth / 4 {
		batch = append(batch, command("SET key:000000000001 xxx")...)
		batch = append(batch, command("GET key:000000000001")...)
		batch = append(batch, command("SET counter:000000000001 7")...)
		batch = append(batch, command("INCR counter:000000000001")...)
	}
	// Replies: +OK, $3 xxx, +OK, :8.
	reply := len("+OK\r\n$3\r\nxxx\r\n+OK\r\n:8\r\n") * depth / 4
	buf := make([]byte, reply)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%depth == 0 {
			if _, err := c.Write(batch); err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadFull(c, buf); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestMain(m *testing.M) { os.Exit(exampletest.Main(m)) }
