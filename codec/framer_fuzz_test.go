package codec_test

import (
	"errors"
	"testing"

	"github.com/sockloop/sockloop/codec"
)

// checkFramer checks, on any input, that f never panics, that it stops
// with ErrIncomplete or an *Error, and that a frame found in in is found
// the same in any longer input.
func checkFramer(t *testing.T, f codec.Framer, in []byte) {
	_, err := frames(t, f, in)
	var ce *codec.Error
	if !errors.Is(err, codec.ErrIncomplete) && !errors.As(err, &ce) {
		t.Fatalf("stopped with %v", err)
	}
	frame, n, err := f.Frame(codec.NewBytesReader(in))
	if err != nil {
		return
	}
	longer := append(append([]byte(nil), in...), "more input"...)
	frame2, n2, err := f.Frame(codec.NewBytesReader(longer))
	if err != nil || n2 != n || string(frame2) != string(frame) {
		t.Fatalf("frame %q/%d, but %q/%d, %v with more input", frame, n, frame2, n2, err)
	}
}

func FuzzLengthField(f *testing.F) {
	f.Add(uint8(0), uint8(2), false, int8(0), uint8(2), []byte("\x00\x03abc"))
	f.Add(uint8(1), uint8(8), true, int8(-9), uint8(0), []byte("x\x0a\x00\x00\x00\x00\x00\x00\x00a"))
	f.Add(uint8(0), uint8(3), false, int8(5), uint8(1), []byte("\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, off, size uint8, le bool, adj int8, strip uint8, in []byte) {
		lf := &codec.LengthField{Offset: int(off % 8), Size: int(size % 9), LittleEndian: le,
			Adjustment: int(adj), Strip: int(strip % 16), MaxFrame: 1 << 12}
		checkFramer(t, lf, in)
	})
}

func FuzzDelimiter(f *testing.F) {
	f.Add([]byte("\r\n"), []byte("|"), uint8(4), false, []byte("ab|cd\r\nx"))
	f.Add([]byte(""), []byte("||"), uint8(0), true, []byte("||||a|"))
	f.Fuzz(func(t *testing.T, d1, d2 []byte, maxLen uint8, keep bool, in []byte) {
		d := &codec.Delimiter{Delimiters: [][]byte{d1, d2}, MaxLength: int(maxLen), KeepDelimiter: keep}
		checkFramer(t, d, in)
	})
}

func FuzzLine(f *testing.F) {
	f.Add(uint8(3), []byte("abc\r\nd\n\r\r\n"))
	f.Add(uint8(0), []byte("\n\n"))
	f.Fuzz(func(t *testing.T, maxLen uint8, in []byte) {
		checkFramer(t, codec.Line{MaxLength: int(maxLen)}, in)
	})
}

func FuzzFixed(f *testing.F) {
	f.Add(uint8(3), []byte("abcdefg"))
	f.Fuzz(func(t *testing.T, size uint8, in []byte) {
		checkFramer(t, codec.Fixed{Size: int(size % 32)}, in)
	})
}
