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
