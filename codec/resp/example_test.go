package resp_test

import (
	"fmt"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/resp"
)

func ExampleDecoder_Command() {
	r := codec.NewBytesReader([]byte("*2\r\n$3\r\nGET\r\n$3\r\nkey\r\nPING\r\n*1\r\n$4\r\nPI"))
	var d resp.Decoder
	var out []byte
	for {
		args, n, err := d.Command(r)
		if err != nil {
			fmt.Println(err) // codec.ErrIncomplete: wait for more input
			break
		}
		fmt.Printf("%q\n", args)
		out = resp.AppendNull(out)
		r.Discard(n)
	}
	fmt.Printf("%q\n", out)
	// Output:
	// ["GET" "key"]
	// ["PING"]
	// codec: incomplete input
	// "$-1\r\n$-1\r\n"
}

// A server that drops a client's unfinished command (here by discarding
// its input) resets the Decoder, so that nothing read from it is taken up
// again.
func ExampleDecoder_Reset() {
	r := codec.NewBytesReader([]byte("*2\r\n$3\r\nGET\r\n$3\r\nke"))
	var d resp.Decoder
	_, _, err := d.Command(r)
	fmt.Println(err)
	r.Discard(-1) // give up on it
	d.Reset()
	r.Write([]byte("*1\r\n$4\r\nPING\r\n"))
	args, _, err := d.Command(r)
	fmt.Printf("%q %v\n", args, err)
	// Output:
	// codec: incomplete input
	// ["PING"] <nil>
}
