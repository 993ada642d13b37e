package resp_test

import (
	"fmt"

	"github.com/sockloop/sockloop/codec"
	"github.com/sockloop/sockloop/codec/resp"
)

// AppendSimpleString appends a status reply, such as OK.
func ExampleAppendSimpleString() {
	fmt.Printf("%q\n", resp.AppendSimpleString(nil, "OK"))
	// Output: "+OK\r\n"
}

// AppendError appends an error reply; by convention its first word is a
// code.
func ExampleAppendError() {
	fmt.Printf("%q\n", resp.AppendError(nil, "ERR unknown command"))
	// Output: "-ERR unknown command\r\n"
}

// AppendInt appends an integer reply.
func ExampleAppendInt() {
	fmt.Printf("%q\n", resp.AppendInt(nil, 42))
	// Output: ":42\r\n"
}

// AppendBulk appends a bulk string, binary-safe.
func ExampleAppendBulk() {
	fmt.Printf("%q\n", resp.AppendBulk(nil, []byte("a\r\nb")))
	// Output: "$4\r\na\r\nb\r\n"
}

// AppendBulkString is AppendBulk for a string.
func ExampleAppendBulkString() {
	fmt.Printf("%q\n", resp.AppendBulkString(nil, "value"))
	// Output: "$5\r\nvalue\r\n"
}

// AppendNull appends RESP2's null bulk string, the reply to a GET of a
// missing key.
func ExampleAppendNull() {
	fmt.Printf("%q\n", resp.AppendNull(nil))
	// Output: "$-1\r\n"
}

// AppendNullArray appends RESP2's null array.
func ExampleAppendNullArray() {
	fmt.Printf("%q\n", resp.AppendNullArray(nil))
	// Output: "*-1\r\n"
}

// AppendNull3 appends RESP3's null, for clients that said HELLO 3.
func ExampleAppendNull3() {
	fmt.Printf("%q\n", resp.AppendNull3(nil))
	// Output: "_\r\n"
}

// AppendArray appends an array's header; its elements follow.
func ExampleAppendArray() {
	fmt.Printf("%q\n", resp.AppendBulkString(resp.AppendInt(resp.AppendArray(nil, 2), 1), "two"))
	// Output: "*2\r\n:1\r\n$3\r\ntwo\r\n"
}

// AppendMap appends a RESP3 map's header; keys and values follow in
// turn.
func ExampleAppendMap() {
	fmt.Printf("%q\n", resp.AppendInt(resp.AppendSimpleString(resp.AppendMap(nil, 1), "port"), 6379))
	// Output: "%1\r\n+port\r\n:6379\r\n"
}

// AppendSet appends a RESP3 set's header; its members follow.
func ExampleAppendSet() {
	fmt.Printf("%q\n", resp.AppendSimpleString(resp.AppendSet(nil, 1), "a"))
	// Output: "~1\r\n+a\r\n"
}

// AppendPush appends a RESP3 push's header, for messages a server sends
// unasked (pub/sub).
func ExampleAppendPush() {
	fmt.Printf("%q\n", resp.AppendBulkString(resp.AppendBulkString(resp.AppendPush(nil, 2), "message"), "hi"))
	// Output: ">2\r\n$7\r\nmessage\r\n$2\r\nhi\r\n"
}

// AppendBool appends a RESP3 boolean.
func ExampleAppendBool() {
	fmt.Printf("%q\n", resp.AppendBool(nil, true))
	// Output: "#t\r\n"
}

// AppendDouble appends a RESP3 double.
func ExampleAppendDouble() {
	fmt.Printf("%q\n", resp.AppendDouble(nil, 1.5))
	// Output: ",1.5\r\n"
}

// AppendBigNumber appends a RESP3 big number, given as its digits.
func ExampleAppendBigNumber() {
	fmt.Printf("%q\n", resp.AppendBigNumber(nil, "3492890328409238509324850943850943825024385"))
	// Output: "(3492890328409238509324850943850943825024385\r\n"
}

// AppendBlobError appends a RESP3 error that may hold any bytes.
func ExampleAppendBlobError() {
	fmt.Printf("%q\n", resp.AppendBlobError(nil, []byte("SYNTAX invalid")))
	// Output: "!14\r\nSYNTAX invalid\r\n"
}

// AppendVerbatim appends a RESP3 verbatim string with its format.
func ExampleAppendVerbatim() {
	fmt.Printf("%q\n", resp.AppendVerbatim(nil, "txt", []byte("Some string")))
	// Output: "=15\r\ntxt:Some string\r\n"
}

// AppendCommand appends a command as a client sends it.
func ExampleAppendCommand() {
	fmt.Printf("%q\n", resp.AppendCommand(nil, []byte("SET"), []byte("k"), []byte("v")))
	// Output: "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"
}

// Decoder.Value reads a value of any kind, as a client reads replies;
// AppendValue writes one back.
func ExampleDecoder_Value() {
	r := codec.NewBytesReader([]byte("*2\r\n:1\r\n%1\r\n+k\r\n#t\r\n"))
	var d resp.Decoder
	v, n, err := d.Value(r)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(v.Kind), len(v.Elems), v.Elems[0].Int, string(v.Elems[1].Kind))
	fmt.Printf("%q\n", resp.AppendValue(nil, v)) // the same bytes
	r.Discard(n)
	// Output:
	// * 2 1 %
	// "*2\r\n:1\r\n%1\r\n+k\r\n#t\r\n"
}

// AppendValue writes a Value, aggregates and all.
func ExampleAppendValue() {
	v := resp.Value{Kind: resp.Array, Elems: []resp.Value{
		{Kind: resp.BulkString, Str: []byte("GET")},
		{Kind: resp.BulkString, Str: []byte("key")},
	}}
	fmt.Printf("%q\n", resp.AppendValue(nil, v))
	// Output: "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n"
}
