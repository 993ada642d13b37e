// Command redis is a RESP server on sockloop's event loops and codec/resp:
// PING, ECHO, SET, GET, DEL, EXISTS, INCR and QUIT, pipelined, with Redis's
// own error replies for unknown commands and wrong arity, and minimal COMMAND
// and CONFIG GET answers so that redis-cli and redis-benchmark work against
// it. The key space is a sharded map shared by every loop. It prints nothing
// on success and serves until killed.
//
//	go run ./examples/redis -addr 127.0.0.1:9000 -loops 2
//	redis-cli -p 9000 set k v
//	redis-benchmark -p 9000 -P 16 -q -t set,get,incr,ping
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/resp"
	"github.com/sockloop/sockloop/examples/internal/backendflag"
	"github.com/sockloop/sockloop/loop"
)

// loopState is what one loop reuses for every command it serves.
type loopState struct {
	dec  resp.Decoder
	out  []byte // replies of one OnTraffic, written with one Write
	name []byte // the command name, lower-cased
}

type server struct {
	loop.BaseHandler
	db    *store
	loops []*loopState
}

func (s *server) OnBoot(e *loop.Engine) loop.Action {
	s.loops = make([]*loopState, len(e.Loops()))
	for i := range s.loops {
		s.loops[i] = &loopState{}
	}
	return loop.None
}

// OnTraffic answers every whole command buffered (a pipeline) with one write.
func (s *server) OnTraffic(c *loop.Conn) loop.Action {
	ls := s.loops[c.Loop().Index()]
	out, closing := s.serve(c, ls, ls.out[:0])
	if len(out) > 0 {
		c.Write(out) // copied into pool memory: ls.out is reused at once
	}
	ls.out = out
	if closing {
		return loop.Close
	}
	return loop.None
}

// serve decodes and runs the commands buffered in r, appending the replies to
// out; closing reports that the connection must close after them (QUIT, or
// input that is not RESP).
//
// Commands are decoded with the loop's Decoder, but for a command of more
// than ownDecoderAfter bytes still arriving: its connection gets a Decoder
// of its own (r's context, dropped once the command is whole), which keeps
// the elements read so far, so that each read resumes there whatever other
// connections decode meanwhile.
func (s *server) serve(r codec.Reader, ls *loopState, out []byte) (_ []byte, closing bool) {
	c, _ := r.(*loop.Conn)
	dec := &ls.dec
	if c != nil {
		if own, ok := c.Context().(*resp.Decoder); ok {
			dec = own
		}
	}
	for {
		args, n, err := dec.Command(r)
		if err != nil {
			if errors.Is(err, codec.ErrIncomplete) {
				if c != nil && dec == &ls.dec && r.InboundBuffered() > ownDecoderAfter {
					ls.dec.Reset() // its progress is this connection's alone
					dec = new(resp.Decoder)
					c.SetContext(dec)
					dec.Command(r) // the elements so far, to resume from
				}
				return out, false
			}
			// As redis-server: report the protocol error, then close.
			return appendErr(out, "ERR Protocol error: ", []byte(err.(*codec.Error).Reason)), true
		}
		if dec != &ls.dec {
			c.SetContext(nil) // args stay valid until Discard
		}
		if len(args) > 0 {
			out, closing = s.exec(ls, args, out)
		}
		r.Discard(n)
		if closing {
			return out, true
		}
		dec = &ls.dec
	}
}

// ownDecoderAfter is how much of an unfinished command may be decoded again
// at each read before its connection gets a Decoder of its own.
const ownDecoderAfter = 16 << 10

// exec runs one command.
func (s *server) exec(ls *loopState, args [][]byte, out []byte) (_ []byte, closing bool) {
	ls.name = lower(ls.name[:0], args[0])
	name, argc := ls.name, len(args)
	switch string(name) {
	case "ping":
		if argc > 2 {
			break
		}
		if argc == 2 {
			return resp.AppendBulk(out, args[1]), false
		}
		return resp.AppendSimpleString(out, "PONG"), false
	case "echo":
		if argc == 2 {
			return resp.AppendBulk(out, args[1]), false
		}
	case "get":
		if argc == 2 {
			return s.db.get(out, args[1]), false
		}
	case "set":
		if argc == 3 {
			s.db.set(args[1], args[2])
			return resp.AppendSimpleString(out, "OK"), false
		}
		if argc > 3 {
			return resp.AppendError(out, "ERR syntax error"), false
		}
	case "del", "exists":
		if argc >= 2 {
			return resp.AppendInt(out, s.db.count(args[1:], name[0] == 'd')), false
		}
	case "incr":
		if argc == 2 {
			return s.db.incr(out, args[1]), false
		}
	case "command":
		// Enough for redis-cli's start-up (COMMAND DOCS) and for clients
		// that ask for COMMAND COUNT or the table: this server has no docs.
		return resp.AppendArray(out, 0), false
	case "config":
		if argc >= 2 {
			return appendConfig(out, args[1:]), false
		}
	case "quit":
		return resp.AppendSimpleString(out, "OK"), true
	default:
		out = appendErr(out, "ERR unknown command '", args[0])
		out = out[:len(out)-2] // reopen the line to list the arguments
		out = append(out, "', with args beginning with: "...)
		for _, a := range args[1:] {
			out = append(out, '\'')
			out = appendClean(out, a)
			out = append(out, "' "...)
		}
		return append(out, "\r\n"...), false
	}
	out = appendErr(out, "ERR wrong number of arguments for '", name)
	out = out[:len(out)-2]
	return append(out, "' command\r\n"...), false
}

// appendConfig answers CONFIG GET for the two parameters redis-benchmark
// reads (save and appendonly) and with an empty array otherwise; other
// CONFIG subcommands are refused.
func appendConfig(out []byte, args [][]byte) []byte {
	var sub [8]byte
	if string(lower(sub[:0], args[0])) != "get" || len(args) != 2 {
		return resp.AppendError(out, "ERR CONFIG supports only GET parameter in this server")
	}
	var p [16]byte
	switch string(lower(p[:0], args[1])) {
	case "save":
		out = resp.AppendArray(out, 2)
		out = resp.AppendBulkString(out, "save")
		return resp.AppendBulkString(out, "")
	case "appendonly":
		out = resp.AppendArray(out, 2)
		out = resp.AppendBulkString(out, "appendonly")
		return resp.AppendBulkString(out, "no")
	}
	return resp.AppendArray(out, 0)
}

// appendErr appends an error reply: prefix, then b with CR and LF replaced.
func appendErr(out []byte, prefix string, b []byte) []byte {
	out = append(out, '-')
	out = append(out, prefix...)
	out = appendClean(out, b)
	return append(out, "\r\n"...)
}

// appendClean appends at most 128 bytes of b with CR and LF turned into
// spaces, as redis-server quotes arguments in its error replies.
func appendClean(out, b []byte) []byte {
	if len(b) > 128 {
		b = b[:128]
	}
	for _, c := range b {
		if c == '\r' || c == '\n' {
			c = ' '
		}
		out = append(out, c)
	}
	return out
}

// lower appends b lower-cased (ASCII) to dst.
func lower(dst, b []byte) []byte {
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "address to listen on")
	loops := flag.Int("loops", runtime.NumCPU(), "number of event loops")
	chosenBackend := backendflag.Register("redis")
	flag.Parse()
	backend := chosenBackend()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s := &server{db: newStore()}
	if err := loop.Serve(ctx, s, "tcp://"+*addr, loop.WithLoops(*loops), loop.WithBackend(backend)); err != nil {
		fmt.Fprintln(os.Stderr, "redis:", err)
		os.Exit(1)
	}
}
