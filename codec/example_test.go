package codec_test

import (
	"fmt"

	"github.com/sockloop/sockloop/codec"
)

func ExampleLengthField() {
	// Frames with a 2-byte big-endian length header, handed back without it.
	f := &codec.LengthField{Size: 2, Strip: 2}
	r := codec.NewBytesReader([]byte("\x00\x05hello\x00\x05wor"))
	for {
		frame, n, err := f.Frame(r)
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Printf("%s\n", frame)
		r.Discard(n) // frame is valid until here
	}
	// Output:
	// hello
	// codec: incomplete input
}
