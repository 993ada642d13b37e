package codec_test

import (
	"errors"
	"fmt"

	"github.com/sockloop/sockloop/codec"
)

// A Delimiter frames on any of several delimiters, here a NUL or a line
// ending; the frame ends at whichever comes first.
func ExampleDelimiter() {
	d := &codec.Delimiter{Delimiters: [][]byte{{0}, []byte("\r\n")}}
	r := codec.NewBytesReader([]byte("one\x00two\r\nthree"))
	for {
		frame, n, err := d.Frame(r)
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Printf("%q\n", frame)
		r.Discard(n)
	}
	// Output:
	// "one"
	// "two"
	// codec: incomplete input
}

// A Line frames text lines ending in LF or CRLF, without the ending; a
// line longer than MaxLength is an error that wraps ErrTooLarge.
func ExampleLine() {
	l := codec.Line{MaxLength: 8}
	r := codec.NewBytesReader([]byte("short\r\nfar too long a line\n"))
	for {
		frame, n, err := l.Frame(r)
		if err != nil {
			fmt.Println(errors.Is(err, codec.ErrTooLarge))
			break
		}
		fmt.Printf("%q\n", frame)
		r.Discard(n)
	}
	// Output:
	// "short"
	// true
}

// A Fixed frames records of one size.
func ExampleFixed() {
	f := codec.Fixed{Size: 4}
	r := codec.NewBytesReader([]byte("abcdefghij"))
	for {
		frame, n, err := f.Frame(r)
		if err != nil {
			break
		}
		fmt.Printf("%s ", frame)
		r.Discard(n)
	}
	fmt.Println(r.InboundBuffered(), "left")
	// Output: abcd efgh 2 left
}

// LengthField.Append writes a frame as Frame reads it.
func ExampleLengthField_Append() {
	f := &codec.LengthField{Size: 2, Strip: 2}
	wire, err := f.Append(nil, []byte("hello"))
	fmt.Printf("%q %v\n", wire, err)
	// Output: "\x00\x05hello" <nil>
}

// Next is the copying form of a framer: it appends the next frame to the
// caller's buffer and consumes it, for frames kept past the input.
func ExampleNext() {
	r := codec.NewBytesReader([]byte("alpha\nbeta\n"))
	var kept [][]byte
	for {
		frame, err := codec.Next(r, codec.Line{}, nil)
		if err != nil {
			break
		}
		kept = append(kept, frame)
	}
	fmt.Printf("%q\n", kept)
	// Output: ["alpha" "beta"]
}

// A BytesReader stands for a connection's input in tests and for input
// already in memory; Write adds bytes as their arrival would.
func ExampleNewBytesReader() {
	r := codec.NewBytesReader([]byte("\x00\x05hel"))
	f := &codec.LengthField{Size: 2, Strip: 2}
	_, _, err := f.Frame(r)
	fmt.Println(err)
	r.Write([]byte("lo"))
	frame, n, _ := f.Frame(r)
	fmt.Printf("%s %d\n", frame, n)
	// Output:
	// codec: incomplete input
	// hello 7
}

// A decoder of the program's own reports bad input with a shared *Error
// made once by Malformed or TooLarge, so that reporting allocates nothing.
func ExampleMalformed() {
	errBadVersion := codec.Malformed("mything", "unknown version")
	var err error = errBadVersion
	var ce *codec.Error
	fmt.Println(err, errors.Is(err, codec.ErrMalformed), errors.As(err, &ce) && ce.Codec == "mything")
	// Output: codec: mything: unknown version true true
}
