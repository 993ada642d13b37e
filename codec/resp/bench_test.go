package resp_test

import (
	"testing"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/resp"
)

func BenchmarkCommand(b *testing.B) {
	in := []byte("*3\r\n$3\r\nSET\r\n$8\r\nkey:0001\r\n$16\r\nvalue-0123456789\r\n")
	var d resp.Decoder
	r := codec.NewBytesReader(nil)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(in)
		args, n, err := d.Command(r)
		if err != nil || len(args) != 3 {
			b.Fatal(err)
		}
		r.Discard(n)
	}
}

func BenchmarkCommandPipelined16(b *testing.B) {
	var in []byte
	for range 16 {
		in = resp.AppendCommand(in, []byte("GET"), []byte("key:0001"))
	}
	var d resp.Decoder
	r := codec.NewBytesReader(nil)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(in)
		for r.InboundBuffered() > 0 {
			_, n, err := d.Command(r)
			if err != nil {
				b.Fatal(err)
			}
			r.Discard(n)
		}
	}
}

func BenchmarkValue(b *testing.B) {
	in := []byte("*3\r\n$3\r\nfoo\r\n:42\r\n*2\r\n+OK\r\n$-1\r\n")
	var d resp.Decoder
	r := codec.NewBytesReader(nil)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(in)
		if _, _, err := d.Value(r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendReply(b *testing.B) {
	buf := make([]byte, 0, 1024)
	val := []byte("value-0123456789")
	b.ReportAllocs()
	for b.Loop() {
		buf = resp.AppendBulk(buf[:0], val)
		buf = resp.AppendInt(buf, 42)
	}
}
