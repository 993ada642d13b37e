package resp_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/resp"
)

func TestCommand(t *testing.T) {
	tests := []struct {
		name string
		dec  resp.Decoder
		in   string
		want []string
		n    int
		err  error
	}{
		{name: "array", in: "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", want: []string{"GET", "k"}, n: 20},
		{name: "binary bulk", in: "*1\r\n$4\r\na\r\nb\r\n", want: []string{"a\r\nb"}, n: 14},
		{name: "empty bulk", in: "*1\r\n$0\r\n\r\n", want: []string{""}, n: 10},
		{name: "pipelined: first only", in: "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPI", want: []string{"PING"}, n: 14},
		{name: "empty array", in: "*0\r\n", want: []string{}, n: 4},
		{name: "null array", in: "*-1\r\n", want: []string{}, n: 5},
		{name: "inline", in: "SET  k\tv\r\n", want: []string{"SET", "k", "v"}, n: 10},
		{name: "inline LF", in: "PING\n", want: []string{"PING"}, n: 5},
		{name: "inline empty", in: "\r\n", want: []string{}, n: 2},
		{name: "incomplete header", in: "*2\r", err: codec.ErrIncomplete},
		{name: "incomplete bulk", in: "*1\r\n$5\r\nab", err: codec.ErrIncomplete},
		{name: "incomplete CRLF", in: "*1\r\n$2\r\nab\r", err: codec.ErrIncomplete},
		{name: "incomplete args", in: "*2\r\n$1\r\na\r\n", err: codec.ErrIncomplete},
		{name: "incomplete inline", in: "PING", err: codec.ErrIncomplete},
		{name: "empty", in: "", err: codec.ErrIncomplete},
		{name: "bad count", in: "*x\r\n", err: resp.ErrBadLength},
		{name: "not bulk", in: "*1\r\n:1\r\n", err: resp.ErrExpectedBulk},
		{name: "negative bulk", in: "*1\r\n$-1\r\n", err: resp.ErrBadLength},
		{name: "leading zero in bulk length", in: "*1\r\n$00\r\n\r\n", err: resp.ErrBadLength},
		{name: "leading zero in count", in: "*01\r\n$1\r\na\r\n", err: resp.ErrBadLength},
		{name: "minus zero count", in: "*-0\r\n", err: resp.ErrBadLength},
		{name: "missing CRLF", in: "*1\r\n$1\r\nabc", err: resp.ErrMissingCRLF},
		{name: "bare LF in header", in: "*1\n", err: resp.ErrProtocol},
		{name: "bulk over max", dec: resp.Decoder{MaxBulk: 3}, in: "*1\r\n$4\r\n", err: resp.ErrBulkTooLarge},
		{name: "too many args", dec: resp.Decoder{MaxArgs: 2}, in: "*3\r\n", err: resp.ErrTooManyArgs},
		{name: "inline over max", dec: resp.Decoder{MaxInline: 4}, in: "PINGPONG", err: resp.ErrLineTooLong},
		{name: "header over max", dec: resp.Decoder{MaxInline: 4}, in: "*123456", err: resp.ErrLineTooLong},
		{name: "inline too many args", dec: resp.Decoder{MaxArgs: 2}, in: "a b c\n", err: resp.ErrTooManyArgs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := codec.NewBytesReader([]byte(tt.in))
			args, n, err := tt.dec.Command(r)
			if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if r.InboundBuffered() != len(tt.in) {
				t.Fatalf("Command consumed input")
			}
			if err != nil {
				return
			}
			if n != tt.n || len(args) != len(tt.want) {
				t.Fatalf("args %q, n %d; want %q, %d", args, n, tt.want, tt.n)
			}
			for i := range args {
				if string(args[i]) != tt.want[i] {
					t.Fatalf("args %q, want %q", args, tt.want)
				}
			}
		})
	}
}

func TestCommandSplitEverywhere(t *testing.T) {
	in := "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n"
	var d resp.Decoder
	for i := range len(in) {
		r := codec.NewBytesReader([]byte(in[:i]))
		if _, _, err := d.Command(r); !errors.Is(err, codec.ErrIncomplete) {
			t.Fatalf("prefix %q: %v, want ErrIncomplete", in[:i], err)
		}
	}
	args, n, err := d.Command(codec.NewBytesReader([]byte(in)))
	if err != nil || n != len(in) || len(args) != 3 || string(args[2]) != "value" {
		t.Fatalf("whole: %q, %d, %v", args, n, err)
	}
}

func TestValue(t *testing.T) {
	tests := []struct {
		name string
		in   string
		err  error
	}{
		{name: "simple", in: "+OK\r\n"},
		{name: "error", in: "-ERR wrong\r\n"},
		{name: "integer", in: ":-42\r\n"},
		{name: "bulk", in: "$3\r\nfoo\r\n"},
		{name: "null bulk", in: "$-1\r\n"},
		{name: "null array", in: "*-1\r\n"},
		{name: "nested", in: "*3\r\n:1\r\n*2\r\n+a\r\n$-1\r\n*0\r\n"},
		{name: "resp3 scalars", in: "*6\r\n_\r\n#t\r\n#f\r\n,-1.5e+10\r\n,inf\r\n(-12345678901234567890\r\n"},
		{name: "resp3 blobs", in: "*2\r\n!5\r\nERR x\r\n=8\r\ntxt:a\r\nb\r\n"},
		{name: "resp3 aggregates", in: "%2\r\n+a\r\n:1\r\n+b\r\n~1\r\n>0\r\n"},
		{name: "attribute", in: "|1\r\n+ttl\r\n:3\r\n"},
		{name: "bad boolean", in: "#x\r\n", err: resp.ErrBadScalar},
		{name: "bad double", in: ",1.\r\n", err: resp.ErrBadScalar},
		{name: "bad null", in: "_x\r\n", err: resp.ErrBadScalar},
		{name: "bad big number", in: "(12a\r\n", err: resp.ErrBadScalar},
		{name: "null map", in: "%-1\r\n", err: resp.ErrBadLength},
		{name: "null blob error", in: "!-1\r\n", err: resp.ErrBadLength},
		{name: "incomplete map", in: "%1\r\n+a\r\n", err: codec.ErrIncomplete},
		{name: "bad integer", in: ":12a\r\n", err: resp.ErrBadInteger},
		{name: "overflow", in: ":9223372036854775808\r\n", err: resp.ErrBadInteger},
		{name: "bad type", in: "@x\r\n", err: resp.ErrBadType},
		{name: "too deep", in: strings.Repeat("*1\r\n", 40) + ":1\r\n", err: resp.ErrTooDeep},
		{name: "incomplete nested", in: "*2\r\n*1\r\n:1\r\n", err: codec.ErrIncomplete},
	}
	var d resp.Decoder
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, n, err := d.Value(codec.NewBytesReader([]byte(tt.in)))
			if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if n != len(tt.in) {
				t.Fatalf("n %d, want %d", n, len(tt.in))
			}
			if got := string(resp.AppendValue(nil, v)); got != tt.in {
				t.Fatalf("re-encoded %q, want %q", got, tt.in)
			}
		})
	}
}

func TestAppend(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{name: "simple", got: resp.AppendSimpleString(nil, "OK"), want: "+OK\r\n"},
		{name: "error", got: resp.AppendError(nil, "ERR x"), want: "-ERR x\r\n"},
		{name: "int", got: resp.AppendInt(nil, -7), want: ":-7\r\n"},
		{name: "bulk", got: resp.AppendBulk(nil, []byte("ab")), want: "$2\r\nab\r\n"},
		{name: "bulk string", got: resp.AppendBulkString(nil, ""), want: "$0\r\n\r\n"},
		{name: "null", got: resp.AppendNull(nil), want: "$-1\r\n"},
		{name: "null array", got: resp.AppendNullArray(nil), want: "*-1\r\n"},
		{name: "array", got: resp.AppendArray(nil, 12), want: "*12\r\n"},
		{name: "null3", got: resp.AppendNull3(nil), want: "_\r\n"},
		{name: "bool", got: resp.AppendBool(nil, true), want: "#t\r\n"},
		{name: "double", got: resp.AppendDouble(nil, 1.5), want: ",1.5\r\n"},
		{name: "double inf", got: resp.AppendDouble(nil, math.Inf(-1)), want: ",-inf\r\n"},
		{name: "big number", got: resp.AppendBigNumber(nil, "-123"), want: "(-123\r\n"},
		{name: "blob error", got: resp.AppendBlobError(nil, []byte("ERR")), want: "!3\r\nERR\r\n"},
		{name: "verbatim", got: resp.AppendVerbatim(nil, "txt", []byte("hi")), want: "=6\r\ntxt:hi\r\n"},
		{name: "map", got: resp.AppendMap(nil, 2), want: "%2\r\n"},
		{name: "set", got: resp.AppendSet(nil, 0), want: "~0\r\n"},
		{name: "push", got: resp.AppendPush(nil, 3), want: ">3\r\n"},
		{name: "command", got: resp.AppendCommand(nil, []byte("GET"), []byte("k")), want: "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"},
	}
	for _, tt := range tests {
		if string(tt.got) != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestAppendAllocs(t *testing.T) {
	buf := make([]byte, 0, 256)
	key := []byte("key")
	allocs := testing.AllocsPerRun(100, func() {
		b := resp.AppendCommand(buf[:0], key, key)
		b = resp.AppendInt(b, 1234)
		b = resp.AppendBulkString(b, "value")
		_ = resp.AppendSimpleString(b, "OK")
	})
	if allocs != 0 {
		t.Fatalf("%v allocations, want 0", allocs)
	}
}
