package codec_test

import (
	"bytes"
	"errors"
	"io"
	"math"
	"testing"

	"github.com/sockloop/sockloop/codec"
)

// frames runs f over in until it stops, and returns the frames and the
// error that stopped it; it checks the framer's contract on the way.
func frames(t testing.TB, f codec.Framer, in []byte) ([]string, error) {
	r := codec.NewBytesReader(in)
	var out []string
	for {
		before := r.InboundBuffered()
		frame, n, err := f.Frame(r)
		if err != nil {
			if r.InboundBuffered() != before {
				t.Fatalf("an error consumed input")
			}
			return out, err
		}
		if n <= 0 || n > before || len(frame) > n {
			t.Fatalf("frame %q with n=%d of %d buffered", frame, n, before)
		}
		out = append(out, string(frame))
		r.Discard(n)
	}
}

type frameTest struct {
	name   string
	framer codec.Framer
	in     string
	want   []string
	err    error
}

func runFrameTests(t *testing.T, tests []frameTest) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := frames(t, tt.framer, []byte(tt.in))
			if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("frames %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("frames %q, want %q", got, tt.want)
				}
			}
		})
	}
}

func TestFixed(t *testing.T) {
	runFrameTests(t, []frameTest{
		{name: "exact", framer: codec.Fixed{Size: 3}, in: "abcdef", want: []string{"abc", "def"}, err: codec.ErrIncomplete},
		{name: "partial", framer: codec.Fixed{Size: 3}, in: "abcde", want: []string{"abc"}, err: codec.ErrIncomplete},
		{name: "bad size", framer: codec.Fixed{}, in: "abc", err: codec.ErrMalformed},
	})
}

func TestLine(t *testing.T) {
	runFrameTests(t, []frameTest{
		{name: "LF and CRLF", framer: codec.Line{}, in: "a\nbb\r\n\nccc", want: []string{"a", "bb", ""}, err: codec.ErrIncomplete},
		{name: "at max", framer: codec.Line{MaxLength: 3}, in: "abc\r\nabc\n", want: []string{"abc", "abc"}, err: codec.ErrIncomplete},
		{name: "CR waiting for LF at max", framer: codec.Line{MaxLength: 3}, in: "abc\r", err: codec.ErrIncomplete},
		{name: "over max", framer: codec.Line{MaxLength: 3}, in: "abcd\n", err: codec.ErrTooLarge},
		{name: "over max, no LF yet", framer: codec.Line{MaxLength: 3}, in: "abcde", err: codec.ErrTooLarge},
	})
}

func TestDelimiter(t *testing.T) {
	two := &codec.Delimiter{Delimiters: [][]byte{[]byte("\r\n"), []byte("||")}, MaxLength: 5}
	runFrameTests(t, []frameTest{
		{name: "earliest wins", framer: two, in: "ab||cd\r\nef||", want: []string{"ab", "cd", "ef"}, err: codec.ErrIncomplete},
		{name: "keep", framer: &codec.Delimiter{Delimiters: [][]byte{[]byte(";")}, KeepDelimiter: true}, in: "a;b;", want: []string{"a;", "b;"}, err: codec.ErrIncomplete},
		{name: "partial delimiter", framer: two, in: "abcde|", err: codec.ErrIncomplete},
		{name: "too long", framer: two, in: "abcdef||", err: codec.ErrTooLarge},
		{name: "too long, no delimiter", framer: two, in: "abcdefg", err: codec.ErrTooLarge},
		{name: "no delimiters", framer: &codec.Delimiter{Delimiters: [][]byte{nil}}, in: "a", err: codec.ErrMalformed},
	})
}

func TestLengthField(t *testing.T) {
	runFrameTests(t, []frameTest{
		{name: "u16 big-endian, strip header", framer: &codec.LengthField{Size: 2, Strip: 2}, in: "\x00\x03abc\x00\x01d\x00", want: []string{"abc", "d"}, err: codec.ErrIncomplete},
		{name: "keep header", framer: &codec.LengthField{Size: 1}, in: "\x02ab", want: []string{"\x02ab"}, err: codec.ErrIncomplete},
		{name: "u24 little-endian", framer: &codec.LengthField{Size: 3, LittleEndian: true, Strip: 3}, in: "\x02\x00\x00hi", want: []string{"hi"}, err: codec.ErrIncomplete},
		{name: "u32 with offset", framer: &codec.LengthField{Offset: 2, Size: 4, Strip: 6}, in: "\xca\xfe\x00\x00\x00\x01x", want: []string{"x"}, err: codec.ErrIncomplete},
		{name: "u64", framer: &codec.LengthField{Size: 8, Strip: 8}, in: "\x00\x00\x00\x00\x00\x00\x00\x02ok", want: []string{"ok"}, err: codec.ErrIncomplete},
		{name: "length counts header", framer: &codec.LengthField{Size: 2, Adjustment: -2, Strip: 2}, in: "\x00\x05abc", want: []string{"abc"}, err: codec.ErrIncomplete},
		{name: "partial body", framer: &codec.LengthField{Size: 2}, in: "\x00\x05abc", err: codec.ErrIncomplete},
		{name: "partial header", framer: &codec.LengthField{Size: 4}, in: "\x00\x05", err: codec.ErrIncomplete},
		{name: "over max", framer: &codec.LengthField{Size: 2, MaxFrame: 10}, in: "\x00\x09", err: codec.ErrTooLarge},
		{name: "huge u64", framer: &codec.LengthField{Size: 8}, in: "\xff\xff\xff\xff\xff\xff\xff\xff", err: codec.ErrTooLarge},
		{name: "shorter than header", framer: &codec.LengthField{Size: 2, Adjustment: -5}, in: "\x00\x01ab", err: codec.ErrMalformed},
		{name: "strip past frame", framer: &codec.LengthField{Size: 1, Strip: 5}, in: "\x01a", err: codec.ErrMalformed},
		{name: "bad size", framer: &codec.LengthField{Size: 5}, in: "\x01a", err: codec.ErrMalformed},
		{name: "offset past any frame", framer: &codec.LengthField{Offset: math.MaxInt - 4, Size: 4}, in: "\x01a", err: codec.ErrTooLarge},
	})
}

func TestLengthFieldAppend(t *testing.T) {
	tests := []struct {
		name string
		f    codec.LengthField
	}{
		{name: "u8", f: codec.LengthField{Size: 1, Strip: 1}},
		{name: "u16 le", f: codec.LengthField{Size: 2, LittleEndian: true, Strip: 2}},
		{name: "u24", f: codec.LengthField{Size: 3, Strip: 3}},
		{name: "u32 offset", f: codec.LengthField{Offset: 3, Size: 4, Strip: 7}},
		{name: "u64 counts header", f: codec.LengthField{Size: 8, Adjustment: -8, Strip: 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.f.Append(nil, []byte("payload"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := frames(t, &tt.f, b)
			if len(got) != 1 || got[0] != "payload" || !errors.Is(err, codec.ErrIncomplete) {
				t.Fatalf("round trip = %q, %v", got, err)
			}
		})
	}
	f := codec.LengthField{Size: 1}
	if _, err := f.Append(nil, make([]byte, 256)); !errors.Is(err, codec.ErrMalformed) {
		t.Fatalf("256 bytes in a 1-byte field: %v", err)
	}
}

func TestNext(t *testing.T) {
	r := codec.NewBytesReader([]byte("one\ntwo"))
	dst, err := codec.Next(r, codec.Line{}, nil)
	if err != nil || string(dst) != "one" || r.InboundBuffered() != 3 {
		t.Fatalf("Next = %q, %v, %d left", dst, err, r.InboundBuffered())
	}
	if _, err := codec.Next(r, codec.Line{}, dst); !errors.Is(err, codec.ErrIncomplete) {
		t.Fatalf("second Next: %v", err)
	}
	r.Write([]byte("\n"))
	if dst, err = codec.Next(r, codec.Line{}, dst[:0]); err != nil || string(dst) != "two" {
		t.Fatalf("third Next = %q, %v", dst, err)
	}
}

func TestBytesReader(t *testing.T) {
	r := codec.NewBytesReader([]byte("abc"))
	if b, err := r.Peek(5); string(b) != "abc" || err != io.ErrShortBuffer {
		t.Fatalf("Peek(5) = %q, %v", b, err)
	}
	if b, err := r.Peek(-1); string(b) != "abc" || err != nil {
		t.Fatalf("Peek(-1) = %q, %v", b, err)
	}
	if n, err := r.Discard(2); n != 2 || err != nil || r.InboundBuffered() != 1 {
		t.Fatalf("Discard(2) = %d, %v", n, err)
	}
	if n, err := r.Discard(5); n != 1 || err != io.ErrShortBuffer || r.InboundBuffered() != 0 {
		t.Fatalf("Discard(5) = %d, %v", n, err)
	}
	r.Write([]byte("xyz"))
	if n, err := r.Discard(-1); n != 3 || err != nil || r.InboundBuffered() != 0 {
		t.Fatalf("Discard(-1) = %d, %v", n, err)
	}
	r.Write([]byte("xy"))
	if b, _ := r.Peek(-1); !bytes.Equal(b, []byte("xy")) {
		t.Fatalf("after Write: %q", b)
	}
}

func TestErrorMessage(t *testing.T) {
	_, _, err := codec.Fixed{}.Frame(codec.NewBytesReader(nil))
	var ce *codec.Error
	if !errors.As(err, &ce) || ce.Codec != "fixed" || err.Error() != "codec: fixed: frame size not positive" {
		t.Fatalf("error %v", err)
	}
}
