package resp_test

import (
	"errors"
	"testing"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/resp"
)

func FuzzCommand(f *testing.F) {
	for _, s := range []string{"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", "PING\r\n", "*1\r\n$-1\r\n", "*0\r\n", " a  b \n", "*1\r\n$3\r\nab"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		d := resp.Decoder{MaxBulk: 1 << 10, MaxArgs: 64, MaxInline: 256}
		r := codec.NewBytesReader(in)
		args, n, err := d.Command(r)
		var ce *codec.Error
		switch {
		case errors.Is(err, codec.ErrIncomplete), errors.As(err, &ce):
			return
		case err != nil:
			t.Fatalf("unexpected error %v", err)
		}
		if n <= 0 || n > len(in) {
			t.Fatalf("n = %d of %d", n, len(in))
		}
		// A multibulk command re-encodes to the bytes it came from.
		if in[0] == '*' && len(args) > 0 {
			if got := resp.AppendCommand(nil, args...); string(got) != string(in[:n]) {
				t.Fatalf("re-encoded %q, read %q", got, in[:n])
			}
		}
	})
}

func FuzzValue(f *testing.F) {
	for _, s := range []string{"+OK\r\n", "-ERR\r\n", ":1\r\n", "$3\r\nabc\r\n", "*2\r\n*1\r\n:1\r\n$-1\r\n", "*-1\r\n",
		"%1\r\n+k\r\n~2\r\n#t\r\n_\r\n", ",-1.5e3\r\n", "(123\r\n", "=5\r\ntxt:a\r\n", ">1\r\n!1\r\nx\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		d := resp.Decoder{MaxBulk: 1 << 10, MaxArgs: 64, MaxInline: 256, MaxDepth: 8}
		v, n, err := d.Value(codec.NewBytesReader(in))
		var ce *codec.Error
		switch {
		case errors.Is(err, codec.ErrIncomplete), errors.As(err, &ce):
			return
		case err != nil:
			t.Fatalf("unexpected error %v", err)
		}
		if n <= 0 || n > len(in) {
			t.Fatalf("n = %d of %d", n, len(in))
		}
		enc := resp.AppendValue(nil, v)
		v2, n2, err := d.Value(codec.NewBytesReader(enc))
		if err != nil || n2 != len(enc) || string(resp.AppendValue(nil, v2)) != string(enc) {
			t.Fatalf("round trip of %q: %q, %v", in[:n], enc, err)
		}
	})
}
