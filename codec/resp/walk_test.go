package resp

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sockloop/sockloop/codec"
)

// TestCommandResumes feeds a command of many elements a few bytes at a
// time: each call resumes where the last stopped (the walk never goes
// back), and the command read at the end is the whole of it, followed by
// the next.
func TestCommandResumes(t *testing.T) {
	const count = 500
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", count)
	for i := range count {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", i%9, strings.Repeat("x", i%9))
	}
	in := b.String() + "*1\r\n$4\r\nPING\r\n"
	var d Decoder
	r := codec.NewBytesReader(make([]byte, 0, len(in)))
	walked, fed := 0, 0
	var args [][]byte
	var n int
	var err error
	for ; fed < len(in); fed += 5 {
		r.Write([]byte(in[fed:min(fed+5, len(in))]))
		if args, n, err = d.Command(r); err == nil {
			fed += 5
			break
		}
		if err != codec.ErrIncomplete {
			t.Fatalf("after %d bytes: %v", fed+5, err)
		}
		if d.next.pos < walked {
			t.Fatalf("after %d bytes the walk went back from %d to %d", fed+5, walked, d.next.pos)
		}
		walked = d.next.pos
	}
	if err != nil || len(args) != count {
		t.Fatalf("fed 5 bytes at a time: %v, %d args", err, len(args))
	}
	for i, a := range args {
		if string(a) != strings.Repeat("x", i%9) {
			t.Fatalf("arg %d = %q", i, a)
		}
	}
	if walked < len(b.String())/2 {
		t.Fatalf("the walk had reached %d of %d bytes before the end came", walked, b.Len())
	}
	r.Discard(n)
	r.Write([]byte(in[min(fed, len(in)):]))
	if args, _, err := d.Command(r); err != nil || len(args) != 1 || string(args[0]) != "PING" {
		t.Fatalf("the command after it: %v %q", err, args)
	}
}

// TestCommandProgressIsPerReader: elements read from one reader are not
// taken by another over the same memory, nor kept after an inline command
// from another reader reset the arguments.
func TestCommandProgressIsPerReader(t *testing.T) {
	mem := make([]byte, 0, 64)
	const partial = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nva"
	var d Decoder
	if _, _, err := d.Command(codec.NewBytesReader(append(mem, partial...))); err != codec.ErrIncomplete {
		t.Fatalf("first reader: %v", err)
	}
	// Where the first walk stopped, this input has a third element.
	const other = "*3\r\n$3\r\nGET\r\n$1\r\nq\r\n$2\r\nab\r\n"
	args, _, err := d.Command(codec.NewBytesReader(append(mem[:0], other...)))
	if err != nil || len(args) != 3 || string(args[0]) != "GET" || string(args[1]) != "q" {
		t.Fatalf("another reader over the same memory: %v %q", err, args)
	}

	first := codec.NewBytesReader([]byte(partial))
	if _, _, err := d.Command(first); err != codec.ErrIncomplete {
		t.Fatalf("partial again: %v", err)
	}
	if args, _, err := d.Command(codec.NewBytesReader([]byte("PING\r\n"))); err != nil || len(args) != 1 {
		t.Fatalf("inline from another reader: %v %q", err, args)
	}
	first.Write([]byte("lue\r\n"))
	args, _, err = d.Command(first)
	if err != nil || len(args) != 3 || string(args[0]) != "SET" || string(args[2]) != "value" {
		t.Fatalf("the first reader's command after the inline one: %v %q", err, args)
	}
}

// TestCommandAfterConsumeWithoutReset: a caller that consumes an unfinished
// command without Reset and decodes new input at the same place gets what
// the new bytes say, never elements kept from the old ones.
func TestCommandAfterConsumeWithoutReset(t *testing.T) {
	r := codec.NewBytesReader(make([]byte, 0, 128))
	r.Write([]byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nva"))
	var d Decoder
	if _, _, err := d.Command(r); err != codec.ErrIncomplete {
		t.Fatalf("partial: %v", err)
	}
	r.Discard(-1) // consumed some other way; no Reset
	r.Write([]byte("*3\r\n$3\r\nDEL\r\n$1\r\nx\r\n\r\n$3\r\nabc\r\n"))
	args, _, err := d.Command(r)
	var fresh Decoder
	wantArgs, _, wantErr := fresh.Command(r)
	if (err == nil) != (wantErr == nil) || fmt.Sprintf("%q", args) != fmt.Sprintf("%q", wantArgs) {
		t.Fatalf("after consuming without Reset: %q, %v; a fresh Decoder: %q, %v", args, err, wantArgs, wantErr)
	}
}
